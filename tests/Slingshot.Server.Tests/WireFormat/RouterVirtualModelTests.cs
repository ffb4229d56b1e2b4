using System.Text.Json;
using Slingshot.Server.Configuration;
using Slingshot.Server.Hosting;
using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.WireFormat;

/// <summary>The "router" virtual model over real HTTP: each request goes to exactly one tier, chosen from the prompt.</summary>
public sealed class RouterVirtualModelTests(RouterServerFixture server) : IClassFixture<RouterServerFixture>
{
    private const string Router = RouterServerFixture.RouterModel;
    private const string ShortPrompt = "Hi";
    private const string LongPrompt = "Once upon a time there was a little girl named Lily.";

    private async Task<int> PromptTokensAsync(string model, string text)
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(text, maxTokens: 4, model: model));
        Assert.Equal(200, reply.Code);
        ChatCompletion(reply.Json, model, choices: 1, logprobs: false);
        return Usage(reply.Json.GetProperty("usage")).Prompt;
    }

    [Theory]
    [InlineData(ShortPrompt, ServerFixture.Model)]
    [InlineData(LongPrompt, RouterServerFixture.LargeModel)]
    public async Task RouterModel_Prompt_AnsweredByTheTierItsLengthSelects(string prompt, string expectedTier)
    {
        var small = await PromptTokensAsync(ServerFixture.Model, prompt);
        var large = await PromptTokensAsync(RouterServerFixture.LargeModel, prompt);
        Assert.NotEqual(small, large); // the two templates tell the tiers apart on the wire

        var routed = await PromptTokensAsync(Router, prompt);

        Assert.Equal(expectedTier == ServerFixture.Model ? small : large, routed);
        await Metrics.WaitForIdleAsync(server.Http);
    }

    [Theory]
    [InlineData(ShortPrompt, "small")]
    [InlineData(LongPrompt, "large")]
    public async Task RouterModel_Response_SaysWhichRouteItTookAndTheScore(string prompt, string route)
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(prompt, maxTokens: 4, model: Router));

        Assert.Equal(200, reply.Code);
        var details = reply.Json.GetProperty("slingshot");
        Assert.Equal(route, details.GetProperty("route").GetString());
        Assert.InRange(details.GetProperty("router_score").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task RouterModel_Streaming_RoleContentFinishUsageDone()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new
        {
            model = Router,
            messages = new[] { new { role = "user", content = LongPrompt } },
            max_tokens = 6,
            stream = true,
            stream_options = new { include_usage = true },
        });

        Assert.Equal(200, reply.Code);
        var chunks = Sse.ParseStrict(reply.Body);
        Assert.All(chunks, c => ChatChunk(c, Router, includeUsage: true));
        Assert.Single(chunks, c => c.GetProperty("choices").EnumerateArray().Any(ch => ch.GetProperty("finish_reason").ValueKind != JsonValueKind.Null));
        Assert.Equal(await PromptTokensAsync(RouterServerFixture.LargeModel, LongPrompt), Usage(chunks[^1].GetProperty("usage")).Prompt);
    }

    [Theory]
    [InlineData(null, RouterServerFixture.LargeModel, "needs a RouterPath")]
    [InlineData("missing.json", RouterServerFixture.LargeModel, "Router file not found")]
    [InlineData("router", "nobody", "needs a Fallback")]
    public void Catalog_BadRouterConfiguration_OneLineErrorNamingIt(string? routerPath, string fallback, string expected)
    {
        var options = ServerFixture.BaseOptions("http://127.0.0.1:1");
        options.Models.Add(new LocalModelOptions { Name = RouterServerFixture.LargeModel, Path = TestPaths.Stories260K, Threads = 1, ContextSize = 256, Sequences = 1 });
        options.Models[0].ContextSize = 256;
        options.Models[0].Sequences = 1;
        options.VirtualModels.Add(new VirtualModelOptions
        {
            Name = "r", Strategy = "router", Model = ServerFixture.Model, Fallback = fallback,
            RouterPath = routerPath == "router" ? server.RouterPath : routerPath,
        });

        var ex = Assert.Throws<SlingshotException>(() => new ModelCatalog(options));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
