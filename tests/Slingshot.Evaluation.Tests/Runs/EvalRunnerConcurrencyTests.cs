using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;
using Slingshot.Evaluation.Tests.Support;

namespace Slingshot.Evaluation.Tests.Runs;

/// <summary>Two evaluations of one run on one store at the same time (two connections, as two processes have), and wall time.</summary>
public sealed class EvalRunnerConcurrencyTests(StoriesClientFixture fixture) : IClassFixture<StoriesClientFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-eval-race-").FullName;

    private string StorePath => Path.Combine(_dir, "runs.db");

    private static EvalOptions Options(int k) => new() { SamplesPerProblem = k, Temperature = 1.0, Seed = 5, MaxTokens = 10 };

    [Fact]
    public async Task Run_TwoRunnersOnANewStoreAtOnce_SplitTheWorkAndDrawEachSampleOnce()
    {
        var task = new StoryTask(problems: 4);
        using var meet = new Barrier(2);
        var first = new CountingSource(fixture.Client, meet);
        var second = new CountingSource(fixture.Client, meet);
        using var storeA = RunStore.Open(StorePath);
        using var storeB = RunStore.Open(StorePath);
        var runnerA = new EvalRunner(task, fixture.Model() with { Source = first }, storeA, Options(k: 2));
        var runnerB = new EvalRunner(task, fixture.Model() with { Source = second }, storeB, Options(k: 2));

        var summaries = await Task.WhenAll(Task.Run(() => runnerA.RunAsync()), Task.Run(() => runnerB.RunAsync()));

        // Both drew (each was inside a call while the other was), and no sample was drawn twice.
        Assert.True(first.Samples > 0 && second.Samples > 0, $"drawn: {first.Samples} and {second.Samples}");
        Assert.Equal(8, first.Samples + second.Samples);
        var samples = storeA.GetSamples(runnerA.RunId);
        Assert.Equal(8, samples.Count);
        Assert.All(samples, s => Assert.NotNull(s.Correct));
        Assert.All(summaries, s => Assert.Equal((4, 2), (s.Problems, s.SamplesPerProblem)));
        // Each waited for the other's calls, so both summarize the whole run.
        Assert.All(summaries, s => Assert.Equal(storeA.Totals(runnerA.RunId).CompletionTokens, s.Cost.CompletionTokens));
        Assert.Equal(2, Count("SELECT COUNT(*) FROM sessions"));
    }

    [Fact]
    public async Task Run_AnotherSessionDiedHoldingACall_WaitsForItsLeaseThenDrawsItWithoutCountingTheWait()
    {
        var task = new StoryTask(problems: 2);
        using var store = RunStore.Open(StorePath);
        var runner = new EvalRunner(task, fixture.Model(), store, Options(k: 2)) { WaitInterval = TimeSpan.FromMilliseconds(50) };
        // A session that claimed problem story/0 and was killed: nobody renews its claim, which lapses after 2 s.
        var lease = TimeSpan.FromSeconds(2);
        Assert.True(store.TryClaim(runner.RunId, "killed", "story/0", 0, 2, DateTimeOffset.UtcNow, lease));
        var waitedFor = 0;
        var drawn = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await runner.RunAsync(new SynchronousProgress<EvalProgress>(p =>
        {
            waitedFor = Math.Max(waitedFor, p.SamplesElsewhere);
            drawn = p.SamplesDrawn;
        }));

        Assert.True(clock.Elapsed >= lease, $"finished after {clock.Elapsed} without waiting for the claim");
        Assert.Equal(2, waitedFor);
        Assert.Equal(4, drawn);
        Assert.Equal(4, store.GetSamples(runner.RunId).Count(s => s.Correct is not null));
        Assert.InRange(store.GetRun(runner.RunId)!.WallSeconds, 0.0001, lease.TotalSeconds / 2);
    }

    [Fact]
    public async Task Run_NothingLeftToDraw_AddsNoWallTime()
    {
        var task = new StoryTask(problems: 2);
        using var store = RunStore.Open(StorePath);
        var runner = new EvalRunner(task, fixture.Model(), store, Options(k: 2));
        await runner.RunAsync();
        var wall = store.GetRun(runner.RunId)!.WallSeconds;

        await new EvalRunner(task, fixture.Model(), store, Options(k: 2)).RunAsync();

        Assert.Equal(wall, store.GetRun(runner.RunId)!.WallSeconds);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM sessions"));
    }

    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={StorePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>IProgress that reports on the calling thread.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>The real engine, counting what it drew; the first call of each runner waits until the other runner is inside a call too.</summary>
    private sealed class CountingSource(ISampleSource inner, Barrier meet) : ISampleSource
    {
        private int _calls;
        private int _samples;

        public int Samples => Volatile.Read(ref _samples);

        public SampleSourceInfo Info => inner.Info;

        public async Task<GenerationResult> SampleAsync(SampleRequest request, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                await Task.Run(() => meet.SignalAndWait(TimeSpan.FromSeconds(30), cancellationToken), cancellationToken);
            }
            var result = await inner.SampleAsync(request, cancellationToken);
            Interlocked.Add(ref _samples, result.Samples.Count);
            return result;
        }

        public IAsyncEnumerable<GenerationUpdate> StreamAsync(SampleRequest request, CancellationToken cancellationToken = default) =>
            WholeSampleStream.StreamAsync(this, request, cancellationToken);
    }
}
