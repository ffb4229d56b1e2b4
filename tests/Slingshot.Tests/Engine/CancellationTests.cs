using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

public sealed class CancellationTests
{
    [Fact]
    public async Task Cancel_MidStream_FreesSlotForNextRequest()
    {
        // One sequence only: the next request can run only if cancellation gave the slot back.
        using var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 1024, MaxSequences = 1 });
        using var cts = new CancellationTokenSource();
        var received = 0;
        FinishReason? reason = null;

        // The loop does not wait for the reader, and stories260K decodes thousands of tokens a second: cancel on the
        // first token of a long generation so that a reader slowed by JIT compilation still cancels mid-stream.
        var request = new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 1000, IgnoreEndOfGeneration = true, Sampling = SamplerSettings.Greedy };
        await foreach (var update in engine.StreamAsync(request, cts.Token))
        {
            if (update.Token is not null && ++received == 1)
            {
                await cts.CancelAsync();
            }
            reason = update.FinishReason ?? reason;
        }

        Assert.Equal(FinishReason.Cancelled, reason);
        Assert.True(received < 1000);
        var next = await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 10, Sampling = SamplerSettings.Greedy });
        Assert.Equal(", there was a little girl named Lily", next.Samples[0].Text);
        Assert.Equal(0, engine.Statistics.Active);
    }

    [Fact]
    public async Task BreakingOutOfStream_CancelsAndFreesSequence()
    {
        using var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 1024, MaxSequences = 1 });

        await foreach (var update in engine.StreamAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 500, Sampling = SamplerSettings.Greedy }))
        {
            break;
        }

        var next = await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 10, Sampling = SamplerSettings.Greedy });
        Assert.Equal(FinishReason.Length, next.Samples[0].FinishReason);
    }

    [Fact]
    public async Task GenerateAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 1024, MaxSequences = 1 });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 1000, Sampling = SamplerSettings.Greedy }, cts.Token));
    }

    [Fact]
    public async Task Queue_MoreSamplesThanFreeSlots_WaitsThenCompletes()
    {
        using var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 1024, MaxSequences = 2 });
        var requests = Enumerable.Range(0, 5).Select(_ =>
            engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 10, SampleCount = 2, Sampling = SamplerSettings.Greedy }));

        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.All(r.Samples, s => Assert.Equal(", there was a little girl named Lily", s.Text)));
        Assert.Equal(0, engine.Statistics.Active);
        Assert.Equal(0, engine.Statistics.Queued);
    }

    [Fact]
    public async Task Dispose_WithRequestInFlight_EndsItCancelled()
    {
        var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 1024, MaxSequences = 1 });
        var stream = engine.StreamAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 1000, Sampling = SamplerSettings.Greedy }).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());

        engine.Dispose();
        FinishReason? reason = null;
        while (await stream.MoveNextAsync())
        {
            reason = stream.Current.FinishReason ?? reason;
        }

        Assert.Equal(FinishReason.Cancelled, reason);
        await stream.DisposeAsync();
    }
}
