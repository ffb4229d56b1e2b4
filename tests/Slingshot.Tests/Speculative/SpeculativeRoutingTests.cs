using System.Diagnostics;
using Slingshot.Generation;

namespace Slingshot.Tests.Speculative;

/// <summary>
/// Where a request that speculation could serve goes: to the speculative decoder only while the decode loop is idle
/// and the decoder free, otherwise into the loop's batch; and the engine's contexts never compute at once.
/// </summary>
public sealed class SpeculativeRoutingTests
{
    private const string Prompt = "the cat sat on the mat and the dog";

    private static LlamaEngine Engine(LlamaModel draft) =>
        LlamaEngine.Load(SpeculativeModels.Target, new EngineOptions
        {
            ContextSize = 2048,
            MaxSequences = 4,
            Threads = 1,
            Speculative = new SpeculativeOptions { DraftModel = draft, DraftMax = 4 },
        });

    /// <summary>A request the decode loop must serve (log-probabilities), long enough to outlast the one under test.</summary>
    private static GenerationRequest LongBatched => new()
    {
        Prompt = "once upon a time",
        MaxTokens = 1500,
        TopLogprobs = 0,
        IgnoreEndOfGeneration = true,
        Sampling = SamplerSettings.Greedy,
    };

    [Fact]
    public async Task EligibleRequest_LoopIdle_TakesTheSpeculativePath()
    {
        using var draft = LlamaModel.Load(SpeculativeModels.Draft);
        using var engine = Engine(draft);

        var result = await engine.GenerateAsync(SpeculativeModels.Greedy(Prompt, 32));

        var stats = Assert.IsType<SpeculationStatistics>(result.Speculation);
        Assert.True(stats.TargetPasses > 0 && stats.Drafted > 0, $"{stats}");
        Assert.Equal(0, engine.Statistics.BatchTokens);
    }

    [Fact]
    public async Task EligibleRequest_WhileTheLoopDecodes_JoinsItsBatchWithTheSameGreedyTokens()
    {
        using var draft = LlamaModel.Load(SpeculativeModels.Draft);
        using var engine = Engine(draft);
        var alone = await engine.GenerateAsync(SpeculativeModels.Greedy(Prompt, 32));
        Assert.NotNull(alone.Speculation);

        await using var running = await StartAsync(engine, LongBatched);
        var before = Snapshot(engine);
        var joined = await engine.GenerateAsync(SpeculativeModels.Greedy(Prompt, 32));
        var after = Snapshot(engine);
        Assert.False(running.Finished, "the long request should still be decoding");

        Assert.Null(joined.Speculation);
        Assert.Equal(alone.Samples[0].Tokens, joined.Samples[0].Tokens);
        Assert.Equal(alone.Samples[0].Text, joined.Samples[0].Text);
        // Alone, the long request puts one token into each llama_decode. Had the new request been speculated beside it,
        // its passes would add decode calls and no batch tokens (at most one token a call); batched, most calls carry
        // a token of each request.
        var calls = after.Decodes - before.Decodes;
        var tokens = after.BatchTokens - before.BatchTokens;
        Assert.True(tokens >= 1.5 * calls, $"{tokens} batch tokens in {calls} llama_decode calls");
    }

    [Fact]
    public async Task EligibleRequest_WhileAnotherIsSpeculated_JoinsTheLoopInsteadOfQueueing()
    {
        using var draft = LlamaModel.Load(SpeculativeModels.Draft);
        using var engine = Engine(draft);
        var alone = await engine.GenerateAsync(SpeculativeModels.Greedy(Prompt, 24));

        await using var running = await StartAsync(engine, SpeculativeModels.Greedy("once upon a time", 1500));
        var second = await engine.GenerateAsync(SpeculativeModels.Greedy(Prompt, 24));
        Assert.False(running.Finished, "the speculated request should still be decoding");

        Assert.Null(second.Speculation);
        Assert.Equal(alone.Samples[0].Tokens, second.Samples[0].Tokens);
        var first = await running.ResultAsync();
        Assert.NotNull(first.Speculation);
        Assert.Equal(1500, first.Samples[0].Tokens!.Count);
    }

    [Fact]
    public async Task SpeculativeAndBatchedPasses_NeverComputeAtOnce()
    {
        using var draft = LlamaModel.Load(SpeculativeModels.Draft);
        using var engine = Engine(draft);
        var passes = new List<ComputeInterval>();
        engine.Compute.Observer = pass =>
        {
            lock (passes)
            {
                passes.Add(pass);
            }
        };

        // A speculated request in progress, then batched ones beside it: the two sides take turns pass by pass.
        await using var running = await StartAsync(engine, SpeculativeModels.Greedy("once upon a time", 400));
        var batched = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            Task.Run(() => engine.GenerateAsync(SpeculativeModels.Greedy($"{Prompt} {i}", 48) with { SampleCount = 2 }))));
        var speculated = await running.ResultAsync();
        engine.Compute.Observer = null;

        Assert.NotNull(speculated.Speculation);
        Assert.All(batched, r => Assert.Null(r.Speculation));
        ComputeInterval[] ordered;
        lock (passes)
        {
            ordered = [.. passes.OrderBy(p => p.Started)];
        }
        var loopPasses = ordered.Where(p => p.Owner == ComputeOwner.DecodeLoop).ToArray();
        var speculativePasses = ordered.Where(p => p.Owner != ComputeOwner.DecodeLoop).ToArray();
        Assert.Contains(speculativePasses, p => p.Owner == ComputeOwner.SpeculativeDraft);
        Assert.Contains(speculativePasses, p => p.Owner == ComputeOwner.SpeculativeTarget);
        // The batched requests ran while the speculated one was in progress, not after it.
        Assert.True(loopPasses.Count(p => p.Started < speculativePasses[^1].Started) >= 20,
            $"{loopPasses.Length} loop passes, of which {loopPasses.Count(p => p.Started < speculativePasses[^1].Started)} before the last speculative one");
        for (var i = 1; i < ordered.Length; i++)
        {
            Assert.True(ordered[i].Started >= ordered[i - 1].Ended,
                $"pass {i} ({ordered[i].Owner}) started {Stopwatch.GetElapsedTime(ordered[i].Started, ordered[i - 1].Ended).TotalMilliseconds:F3} ms before pass {i - 1} ({ordered[i - 1].Owner}) ended");
        }
    }

    private static (long Decodes, long BatchTokens) Snapshot(LlamaEngine engine) => (engine.Statistics.Decodes, engine.Statistics.BatchTokens);

    /// <summary>Starts a streamed request and returns once its first token is out, so it is decoding.</summary>
    private static async Task<RunningRequest> StartAsync(LlamaEngine engine, GenerationRequest request)
    {
        var running = new RunningRequest(engine, request);
        await running.FirstToken.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return running;
    }

    private sealed class RunningRequest : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cancel = new();
        private readonly Task<GenerationResult> _result;
        private volatile bool _finished;

        public RunningRequest(LlamaEngine engine, GenerationRequest request) => _result = Task.Run(async () =>
        {
            try
            {
                await foreach (var update in engine.StreamAsync(request, _cancel.Token))
                {
                    FirstToken.TrySetResult();
                    if (update.Result is { } result)
                    {
                        return result;
                    }
                }
                throw new InvalidOperationException("The stream ended without a result.");
            }
            finally
            {
                _finished = true;
                FirstToken.TrySetResult();
            }
        });

        public TaskCompletionSource FirstToken { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Finished => _finished;

        public Task<GenerationResult> ResultAsync() => _result.WaitAsync(TimeSpan.FromSeconds(120));

        public async ValueTask DisposeAsync()
        {
            await _cancel.CancelAsync();
            try
            {
                await _result;
            }
            catch (OperationCanceledException)
            {
            }
            _cancel.Dispose();
        }
    }
}
