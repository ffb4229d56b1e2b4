using Microsoft.Extensions.AI;
using Slingshot.Remote;

namespace Slingshot.Server.Tests.Remote;

/// <summary>A remote endpoint's samples carry what the endpoint reported and nothing invented.</summary>
public sealed class RemoteSampleContractTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Hi")];

    private static RemoteModelOptions Options(ScriptedEndpoint endpoint, bool? nativeN = null) => new()
    {
        Url = endpoint.Url,
        Model = "scripted",
        UseNativeN = nativeN,
        MaxRetries = 0,
        Price = new TokenPrice(1, 3),
    };

    [Fact]
    public async Task SampleAsync_NChoicesInOneRequest_NoTokensSeedAsSentNoPerSampleUsageTotalOnly()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        using var client = RemoteModel.Connect(Options(endpoint, nativeN: true));

        var result = await client.SampleAsync(SampleRequest.Chat(Prompt, 3, new ChatOptions { Seed = 7 }));

        Assert.Equal(1, endpoint.Requests);
        Assert.All(result.Samples, s => Assert.Null(s.Tokens));
        Assert.Equal([7L, 7L, 7L], result.Samples.Select(s => s.Seed!.Value)); // the one request carried seed 7
        Assert.All(result.Samples, s => Assert.Null(s.Usage)); // the endpoint reported only the total of three choices
        Assert.Equal(new TokenUsage(10, 6), result.Usage);
        Assert.Null(result.Timings.QueueTime);
        Assert.Null(result.Timings.TimeToFirstToken);
        Assert.Null(result.Timings.PrefillTokensPerSecond);
        Assert.Null(result.Timings.DecodeTokensPerSecond);
        Assert.True(result.Timings.Total > TimeSpan.Zero);
        Assert.Equal("scripted", result.ModelId);
    }

    [Fact]
    public async Task SampleAsync_OneRequestPerSample_EachSampleHasItsRequestsUsageAndSeed()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        using var client = RemoteModel.Connect(Options(endpoint, nativeN: false));

        var result = await client.SampleAsync(SampleRequest.Chat(Prompt, 2, new ChatOptions { Seed = 100 }));

        Assert.Equal([100L, 101L], result.Samples.Select(s => s.Seed!.Value));
        Assert.All(result.Samples, s => Assert.Equal(new TokenUsage(10, 2), s.Usage));
        Assert.Equal(new TokenUsage(20, 4), result.Usage);
    }

    [Fact]
    public async Task SampleAsync_NoSeedSent_SeedsAreNull()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        using var client = RemoteModel.Connect(Options(endpoint, nativeN: false));

        var result = await client.SampleAsync(SampleRequest.Chat(Prompt, 2));

        Assert.All(result.Samples, s => Assert.Null(s.Seed));
        Assert.All(endpoint.Bodies, b => Assert.False(b.TryGetProperty("seed", out _)));
    }

    [Fact]
    public async Task SampleAsync_DefaultMaxTokens_IsSentOnlyWhenTheRequestSetsNone()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        using var client = RemoteModel.Connect(Options(endpoint, nativeN: false));
        var options = new ChatOptions();

        await client.SampleAsync(SampleRequest.Chat(Prompt, 1, options) with { DefaultMaxTokens = 17 });
        await client.SampleAsync(SampleRequest.Chat(Prompt, 1, new ChatOptions { MaxOutputTokens = 5 }) with { DefaultMaxTokens = 17 });

        static int MaxTokens(System.Text.Json.JsonElement body) =>
            (body.TryGetProperty("max_completion_tokens", out var m) || body.TryGetProperty("max_tokens", out m)) ? m.GetInt32() : -1;
        Assert.Equal([17, 5], endpoint.Bodies.Select(MaxTokens));
        Assert.Null(options.MaxOutputTokens); // the caller's options are never modified
    }

    [Fact]
    public async Task Info_AndRawPrompt_AnEndpointIsAChatSourceWithLogprobs()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        using var client = RemoteModel.Connect(Options(endpoint));

        Assert.Equal("scripted", client.Info.ModelId);
        Assert.True(client.Info.SupportsLogprobs);
        Assert.False(client.Info.SupportsRawPrompt);
        Assert.False(client.Info.StreamsTokens);
        Assert.Null(client.Info.MaxSamplesPerCall);
        Assert.Null(client.Info.Parameters);
        Assert.Equal(new TokenPrice(1, 3), client.Info.Price);
        await Assert.ThrowsAsync<NotSupportedException>(() => client.SampleAsync(SampleRequest.Text("Once upon a time")));
        Assert.Equal(0, endpoint.Requests);
    }

    [Fact]
    public async Task StreamAsync_EachWholeSampleIsOneUpdate()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        using var client = RemoteModel.Connect(Options(endpoint, nativeN: true));

        var updates = new List<GenerationUpdate>();
        await foreach (var update in client.StreamAsync(SampleRequest.Chat(Prompt, 2, topLogprobs: 0)))
        {
            updates.Add(update);
        }

        Assert.Equal([0, 1, -1], updates.Select(u => u.SampleIndex));
        Assert.Equal(["answer 0", "answer 1"], updates.Take(2).Select(u => u.Text));
        Assert.All(updates.Take(2), u => Assert.Equal(2, u.Sample!.Logprobs!.Count));
        Assert.Equal(new TokenUsage(10, 4), updates[2].Result!.Usage);
    }
}
