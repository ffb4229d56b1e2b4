using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;
using Slingshot.Evaluation.Tests.Support;

namespace Slingshot.Evaluation.Tests.Runs;

public sealed class EvalRunnerTests(StoriesClientFixture fixture) : IClassFixture<StoriesClientFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-eval-").FullName;

    private RunStore OpenStore(string name = "runs.db") => RunStore.Open(Path.Combine(_dir, name));

    private static EvalOptions Options(int k, int? limit = null) => new() { SamplesPerProblem = k, Temperature = 1.0, Seed = 5, Limit = limit, MaxTokens = 10 };

    [Fact]
    public async Task Run_DrawsKPerProblem_StoresGradesAndSeedsEachSample()
    {
        using var store = OpenStore();
        var task = new StoryTask(problems: 3);
        var runner = new EvalRunner(task, fixture.Model(), store, Options(k: 4));

        var summary = await runner.RunAsync();

        var samples = store.GetSamples(runner.RunId);
        Assert.Equal(12, samples.Count);
        Assert.All(samples, s => Assert.NotNull(s.Correct));
        Assert.All(samples, s => Assert.Equal(SampleSeeds.ProblemSeed(5, s.ProblemId) + s.Index, s.Seed));
        Assert.All(samples, s => Assert.InRange(s.CompletionTokens!.Value, 1, 10));
        Assert.Equal([0, 1, 2, 3], samples.Where(s => s.ProblemId == "story/1").Select(s => s.Index));
        Assert.Equal(3, summary.Problems);
        Assert.Equal(4, summary.SamplesPerProblem);
        Assert.Equal([1, 2, 4], summary.Curve.Select(p => p.K));
        // Forked: each problem's prompt was decoded once for its four samples.
        var (prompt, completion, _, _) = store.Totals(runner.RunId);
        Assert.Equal(samples.Sum(s => s.CompletionTokens!.Value), completion);
        Assert.True(summary.Cost.Flops > 0);
        var expectedCoverage = RunMetrics.Summarize("x", runner.Settings, RunSummaries.Outcomes(store, runner.RunId), true, new CostSummary(), default).CoverageAtN;
        Assert.Equal(expectedCoverage, summary.CoverageAtN);
        var promptOnce = 0;
        foreach (var problem in task.LoadProblems())
        {
            var single = await fixture.Client.SampleAsync(SampleRequest.Chat(problem.Messages, 1, new() { MaxOutputTokens = 1 }));
            promptOnce += single.Usage.PromptTokens;
        }
        Assert.Equal(promptOnce, prompt);
    }

    [Fact]
    public async Task Run_CancelledMidway_ResumesWithoutLosingOrRedrawingSamples()
    {
        using var store = OpenStore();
        var task = new StoryTask(problems: 4);
        using var cts = new CancellationTokenSource();
        var first = new EvalRunner(task, fixture.Model(), store, Options(k: 3));
        var progress = new SynchronousProgress<EvalProgress>(p =>
        {
            if (p.SamplesDrawn >= 3)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(progress, cts.Token));
        var kept = store.GetSamples(first.RunId);
        Assert.InRange(kept.Count, 3, 9);

        var drawnOnResume = 0;
        var second = new EvalRunner(task, fixture.Model(), store, Options(k: 3));
        await second.RunAsync(new SynchronousProgress<EvalProgress>(p => drawnOnResume = p.SamplesDrawn));

        var all = store.GetSamples(second.RunId);
        Assert.Equal(12, all.Count);
        Assert.Equal(12, all.Select(s => (s.ProblemId, s.Index)).Distinct().Count());
        Assert.Equal(12 - kept.Count, drawnOnResume);
        foreach (var sample in kept)
        {
            Assert.Equal(sample.Text, all.Single(s => s.ProblemId == sample.ProblemId && s.Index == sample.Index).Text);
        }
    }

    [Fact]
    public async Task Run_RaisingK_DrawsOnlyTheNewIndices()
    {
        using var store = OpenStore();
        var task = new StoryTask(problems: 2);
        var small = new EvalRunner(task, fixture.Model(), store, Options(k: 2));
        await small.RunAsync();
        var before = store.GetSamples(small.RunId);

        var drawn = 0;
        var large = new EvalRunner(task, fixture.Model(), store, Options(k: 5));
        Assert.Equal(small.RunId, large.RunId);
        var summary = await large.RunAsync(new SynchronousProgress<EvalProgress>(p => drawn = p.SamplesDrawn));

        Assert.Equal(6, drawn);
        Assert.Equal(10, store.GetSamples(large.RunId).Count);
        Assert.Equal(5, summary.SamplesPerProblem);
        Assert.Equal(before.Select(s => s.Text), store.GetSamples(large.RunId).Where(s => s.Index < 2).Select(s => s.Text));
        Assert.Equal(5, RunSettingsJson.Deserialize(store.GetRun(large.RunId)!.SettingsJson).SamplesPerProblem);
    }

    [Fact]
    public async Task Run_ShardsMerged_EqualTheUnshardedRun()
    {
        var task = new StoryTask(problems: 5);
        using var whole = OpenStore("whole.db");
        var unsharded = await new EvalRunner(task, fixture.Model(), whole, Options(k: 2, limit: 4)).RunAsync();

        foreach (var shard in new[] { "0/2", "1/2" })
        {
            using var part = OpenStore($"shard{shard[0]}.db");
            await new EvalRunner(task, fixture.Model(), part, Options(k: 2, limit: 4) with { Shard = ShardSpec.Parse(shard) }).RunAsync();
        }
        using var merged = OpenStore("merged.db");
        merged.MergeFrom(Path.Combine(_dir, "shard0.db"));
        merged.MergeFrom(Path.Combine(_dir, "shard1.db"));

        var runId = unsharded.RunId;
        static IEnumerable<(string, int, long?, string, bool?)> Key(RunStore s, string run) =>
            s.GetSamples(run).Select(x => (x.ProblemId, x.Index, x.Seed, x.Text, x.Correct)).OrderBy(x => x.ProblemId).ThenBy(x => x.Index);
        Assert.Equal(Key(whole, runId), Key(merged, runId));
        Assert.Equal(8, merged.GetSamples(runId).Count);
        var mergedSummary = RunSummaries.Load(merged, runId);
        Assert.Equal(unsharded.Curve, mergedSummary.Curve);
        Assert.Equal(unsharded.Cost.CompletionTokens, mergedSummary.Cost.CompletionTokens);
        Assert.Equal(unsharded.Cost.PromptTokens, mergedSummary.Cost.PromptTokens);
    }

    [Fact]
    public async Task Regrade_WithAnotherGrader_NeedsNoNewSamples()
    {
        using var store = OpenStore();
        var runner = new EvalRunner(new StoryTask(problems: 2, word: "the"), fixture.Model(), store, Options(k: 2));
        await runner.RunAsync();
        var texts = store.GetSamples(runner.RunId).Select(s => s.Text).ToList();
        var (prompt, completion, _, _) = store.Totals(runner.RunId);

        var regrader = new StoryTask(problems: 2, word: "zzz-never");
        var outcome = await RunGrader.RegradeAsync(store, runner.RunId, regrader);

        Assert.Equal(4, outcome.Graded);
        Assert.Equal(texts, store.GetSamples(runner.RunId).Select(s => s.Text));
        Assert.All(store.GetSamples(runner.RunId), s => Assert.False(s.Correct));
        Assert.Equal((prompt, completion), (store.Totals(runner.RunId).PromptTokens, store.Totals(runner.RunId).CompletionTokens));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, racing the assertions).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
