using System.Collections.Concurrent;
using System.Diagnostics;
using Slingshot.Server.Tests.Support;

namespace Slingshot.Server.Tests.Observability;

/// <summary>Every answered request is an activity of the "Slingshot.Server" source, under ASP.NET Core's request activity.</summary>
public sealed class TracingTests(DefaultServerFixture server) : IClassFixture<DefaultServerFixture>
{
    [Fact]
    public async Task ChatCompletion_Answered_ActivityWithGenAiTagsUnderTheRequestActivity()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Slingshot.Server" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 3, n: 2));

        Assert.Equal(200, reply.Code);
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (!stopped.Any(a => a.Source.Name == "Microsoft.AspNetCore") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var answer = Assert.Single(stopped, a => a.Source.Name == "Slingshot.Server");
        Assert.Equal($"chat {ServerFixture.Model}", answer.DisplayName);
        Assert.Equal(ServerFixture.Model, answer.GetTagItem("gen_ai.request.model"));
        Assert.Equal(2, answer.GetTagItem("gen_ai.request.choice.count"));
        Assert.True(answer.GetTagItem("gen_ai.usage.output_tokens") is int and > 0, string.Join(", ", answer.TagObjects));
        var request = Assert.Single(stopped, a => a.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(request.SpanId, answer.ParentSpanId);
    }
}
