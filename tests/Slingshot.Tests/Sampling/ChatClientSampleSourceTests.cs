using Microsoft.Extensions.AI;

namespace Slingshot.Tests.Sampling;

/// <summary>Any chat client as a sample source: n calls with seed + i, and nothing reported that the client did not report.</summary>
public sealed class ChatClientSampleSourceTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "2 + 2?")];

    [Fact]
    public async Task SampleAsync_WithSeed_CallsOncePerSampleWithSeedPlusIndex()
    {
        var seen = new List<long?>();
        using var client = new ScriptedClient((options, _) =>
        {
            lock (seen)
            {
                seen.Add(options?.Seed);
            }
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, $"seed {options?.Seed}"))
            {
                Usage = new UsageDetails { InputTokenCount = 4, OutputTokenCount = 2 },
                FinishReason = ChatFinishReason.Length,
            };
        });
        var options = new ChatOptions { Seed = 40 };

        var result = await new ChatClientSampleSource(client).SampleAsync(SampleRequest.Chat(Question, 3, options));

        Assert.Equal([40L, 41, 42], seen.Order().Select(s => s!.Value));
        Assert.Equal([40L, 41, 42], result.Samples.Select(s => s.Seed!.Value));
        Assert.Equal(["seed 40", "seed 41", "seed 42"], result.Samples.Select(s => s.Text));
        Assert.All(result.Samples, s => Assert.Equal(FinishReason.Length, s.FinishReason));
        Assert.All(result.Samples, s => Assert.Equal(new TokenUsage(4, 2), s.Usage));
        Assert.Equal(new TokenUsage(12, 6), result.Usage); // every call pays for its prompt
        Assert.Equal(40, options.Seed); // the caller's options are never modified
    }

    [Fact]
    public async Task SampleAsync_WhatAChatClientCannotKnow_IsNull()
    {
        using var client = new ScriptedClient((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")));

        var result = await new ChatClientSampleSource(client).SampleAsync(SampleRequest.Chat(Question, 2, topLogprobs: 0));

        Assert.All(result.Samples, s => Assert.Null(s.Tokens));
        Assert.All(result.Samples, s => Assert.Null(s.Seed)); // no seed was sent
        Assert.All(result.Samples, s => Assert.Null(s.Usage)); // the client reported none
        Assert.All(result.Samples, s => Assert.Null(s.Logprobs));
        Assert.Null(result.Timings.TimeToFirstToken);
        Assert.Null(result.Timings.DecodeTokensPerSecond);
        Assert.True(result.Timings.Total > TimeSpan.Zero);
    }

    [Fact]
    public async Task SampleAsync_RawPrompt_IsNotSupported()
    {
        using var client = new ScriptedClient((_, _) => new ChatResponse());
        var source = new ChatClientSampleSource(client);

        Assert.False(source.Info.SupportsRawPrompt);
        await Assert.ThrowsAsync<NotSupportedException>(() => source.SampleAsync(SampleRequest.Text("Once")));
    }

    [Fact]
    public async Task StreamAsync_WholeSamples_OneUpdateEachThenTheResult()
    {
        using var client = new ScriptedClient((options, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, $"s{options!.Seed}")));

        var updates = new List<GenerationUpdate>();
        await foreach (var update in new ChatClientSampleSource(client).StreamAsync(SampleRequest.Chat(Question, 2, new ChatOptions { Seed = 0 })))
        {
            updates.Add(update);
        }

        Assert.Equal([0, 1, -1], updates.Select(u => u.SampleIndex));
        Assert.Equal(["s0", "s1"], updates.Take(2).Select(u => u.Text));
        Assert.All(updates.Take(2), u => Assert.Equal(FinishReason.Stop, u.FinishReason));
        Assert.Equal(["s0", "s1"], updates[2].Result!.Samples.Select(s => s.Text));
    }

    /// <summary>A chat client whose every response comes from a callback.</summary>
    private sealed class ScriptedClient(Func<ChatOptions?, int, ChatResponse> respond) : IChatClient
    {
        private int _calls;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(respond(options, Interlocked.Increment(ref _calls)));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
