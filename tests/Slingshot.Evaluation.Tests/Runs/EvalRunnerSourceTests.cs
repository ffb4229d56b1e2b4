using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;
using Slingshot.Evaluation.Tests.Support;

namespace Slingshot.Evaluation.Tests.Runs;

/// <summary>The harness over a source that knows less than the engine (a remote endpoint answering n choices at once).</summary>
public sealed class EvalRunnerSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-eval-source-").FullName;

    private static EvalOptions Options(int k) => new() { SamplesPerProblem = k, Temperature = 1.0, Seed = 5, MaxTokens = 10 };

    [Fact]
    public async Task Run_SourceWithoutPerSampleUsage_StoresNullTokensAndTheCallsReportedTotals()
    {
        var source = new EndpointLikeSource();
        using var store = RunStore.Open(Path.Combine(_dir, "runs.db"));
        var runner = new EvalRunner(new StoryTask(problems: 2), new EvalModel { Source = source, MaxConcurrentCalls = 1 }, store, Options(k: 3));

        var summary = await runner.RunAsync();

        var samples = store.GetSamples(runner.RunId);
        Assert.Equal(6, samples.Count);
        Assert.All(samples, s => Assert.Null(s.CompletionTokens)); // not invented from token ids or text
        Assert.All(samples, s => Assert.Null(s.Tokens));
        Assert.All(samples, s => Assert.Equal(SampleSeeds.ProblemSeed(5, s.ProblemId) + s.Index, s.Seed));
        var (prompt, completion, price, _) = store.Totals(runner.RunId);
        Assert.Equal((2 * EndpointLikeSource.PromptTokens, 2 * 3 * EndpointLikeSource.TokensPerSample), (prompt, completion));
        Assert.Equal(completion, summary.Cost.CompletionTokens);
        Assert.Equal(2.0 * EndpointLikeSource.Parameters * (prompt + completion), summary.Cost.Flops);
        Assert.Equal(source.Info.Price!.Value.Cost(prompt, completion), price, 12);
        Assert.Equal("endpoint-like", runner.Settings.Model); // the model id, parameters and price all come from the source's Info
        Assert.Equal(EndpointLikeSource.Parameters, store.GetRun(runner.RunId)!.Parameters);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Answers n choices in one call and reports only the call's usage, as an OpenAI-compatible endpoint does.</summary>
    private sealed class EndpointLikeSource : ISampleSource
    {
        public const int PromptTokens = 9;
        public const int TokensPerSample = 5;
        public const long Parameters = 1_000;

        public SampleSourceInfo Info { get; } = new() { ModelId = "endpoint-like", Parameters = Parameters, Price = new TokenPrice(1, 2) };

        public Task<GenerationResult> SampleAsync(SampleRequest request, CancellationToken cancellationToken = default)
        {
            var samples = Enumerable.Range(0, request.Count).Select(i => new Sample
            {
                Index = i,
                Text = "the end",
                Tokens = null,
                FinishReason = FinishReason.Stop,
                Seed = request.Options?.Seed + i,
                Usage = null,
            }).ToList();
            var usage = new TokenUsage(PromptTokens, TokensPerSample * request.Count);
            return Task.FromResult(new GenerationResult(samples, usage, GenerationTimings.TotalOnly(TimeSpan.FromMilliseconds(3))));
        }

        public IAsyncEnumerable<GenerationUpdate> StreamAsync(SampleRequest request, CancellationToken cancellationToken = default) =>
            WholeSampleStream.StreamAsync(this, request, cancellationToken);
    }
}
