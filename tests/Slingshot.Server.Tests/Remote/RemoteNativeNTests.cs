using Microsoft.Extensions.AI;
using Slingshot.Remote;

namespace Slingshot.Server.Tests.Remote;

/// <summary>n samples as one request where the endpoint honours n, parallel requests where it ignores or rejects it.</summary>
public sealed class RemoteNativeNTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Hi")];

    private static RemoteModelOptions Options(ScriptedEndpoint endpoint) => new()
    {
        Url = endpoint.Url,
        Model = "scripted",
        RetryDelay = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task SampleAsync_EndpointHonoursN_OneRequestWithAllChoicesAndLogprobs()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        using var client = RemoteModel.Connect(Options(endpoint));

        var result = await client.SampleAsync(SampleRequest.Chat(Prompt, 3, new ChatOptions { Seed = 7 }, topLogprobs: 0));

        Assert.Equal(1, endpoint.Requests);
        Assert.True(endpoint.Bodies.TryPeek(out var body));
        Assert.Equal(3, body.GetProperty("n").GetInt32());
        Assert.True(body.GetProperty("logprobs").GetBoolean());
        Assert.True(client.SupportsNativeN);
        Assert.Equal(["answer 0", "answer 1", "answer 2"], result.Samples.Select(s => s.Text));
        Assert.Equal([0, 1, 2], result.Samples.Select(s => s.Index));
        // Choice i has log-probabilities -0.5 and -(i + 1): the mean tells the samples apart, as best-of-n needs.
        Assert.Equal([-0.75, -1.25, -1.75], result.Samples.Select(s => s.MeanLogprob!.Value));
        Assert.Equal(new TokenUsage(10, 6), result.Usage);
    }

    [Fact]
    public async Task SampleAsync_EndpointIgnoresN_DrawsTheRestInParallelAndRemembers()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.HonoursN = false;
        using var client = RemoteModel.Connect(Options(endpoint));

        var first = await client.SampleAsync(SampleRequest.Chat(Prompt, 4));
        var requestsAfterFirst = endpoint.Requests;
        var second = await client.SampleAsync(SampleRequest.Chat(Prompt, 4));

        Assert.Equal(4, first.Samples.Count);
        Assert.Equal([0, 1, 2, 3], first.Samples.Select(s => s.Index));
        Assert.Equal(4, requestsAfterFirst);
        Assert.False(client.SupportsNativeN);
        // Four requests paid four prompts.
        Assert.Equal(new TokenUsage(40, 8), first.Usage);
        Assert.Equal(4, second.Samples.Count);
        Assert.Equal(8, endpoint.Requests);
        Assert.All(endpoint.Bodies.Skip(1), b => Assert.False(b.TryGetProperty("n", out _)));
    }

    [Fact]
    public async Task SampleAsync_EndpointRejectsN_FallsBackToParallelRequests()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.MaxN = 1;
        using var client = RemoteModel.Connect(Options(endpoint));

        var result = await client.SampleAsync(SampleRequest.Chat(Prompt, 3, new ChatOptions { Seed = 100 }));

        Assert.Equal(3, result.Samples.Count);
        // n = 3 rejected, then n = 1 (half of 3) per request.
        Assert.Equal(1 + 3, endpoint.Requests);
        Assert.False(client.SupportsNativeN);
        // Parallel requests carry seed + i, so the samples differ and a rerun reproduces them.
        Assert.Equal([100L, 101L, 102L], endpoint.Bodies.Skip(1).Select(b => b.GetProperty("seed").GetInt64()).Order());
        Assert.Equal([100L, 101L, 102L], result.Samples.Select(s => s.Seed!.Value));
    }

    [Fact]
    public async Task SampleAsync_EndpointLimitsN_HalvesUntilAcceptedThenUsesThatSize()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.MaxN = 2;
        using var client = RemoteModel.Connect(Options(endpoint));

        var first = await client.SampleAsync(SampleRequest.Chat(Prompt, 5, new ChatOptions { Seed = 0 }));
        var requestsAfterFirst = endpoint.Requests;
        var second = await client.SampleAsync(SampleRequest.Chat(Prompt, 5, new ChatOptions { Seed = 0 }));

        // n = 5 rejected; then n = 2, 2 and 1 for samples 0-1, 2-3 and 4, seeds 0, 2 and 4.
        Assert.Equal(1 + 3, requestsAfterFirst);
        Assert.Equal(1 + 3 + 3, endpoint.Requests);
        Assert.True(client.SupportsNativeN);
        Assert.Equal([0, 1, 2, 3, 4], first.Samples.Select(s => s.Index));
        Assert.Equal(["answer 0", "answer 1", "answer 0", "answer 1", "answer 0"], second.Samples.Select(s => s.Text));
        Assert.Equal([0L, 0L, 2L, 2L, 4L], second.Samples.Select(s => s.Seed!.Value));
        Assert.Equal(new TokenUsage(30, 10), second.Usage);
    }

    [Fact]
    public async Task SampleAsync_NativeNSwitchedOff_NeverSendsN()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        using var client = RemoteModel.Connect(Options(endpoint) with { UseNativeN = false });

        var result = await client.SampleAsync(SampleRequest.Chat(Prompt, 3));

        Assert.Equal(3, result.Samples.Count);
        Assert.Equal(3, endpoint.Requests);
        Assert.All(endpoint.Bodies, b => Assert.False(b.TryGetProperty("n", out _)));
    }

    [Fact]
    public async Task GetService_RemoteClient_ExposesItselfAsSampleSource()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        using var client = RemoteModel.Connect(Options(endpoint));

        Assert.Same(client, client.GetService<ISampleSource>());
        Assert.Equal("scripted", client.GetService<ChatClientMetadata>()?.DefaultModelId);
    }
}
