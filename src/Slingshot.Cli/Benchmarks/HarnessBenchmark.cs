using System.Diagnostics;
using Microsoft.Extensions.AI;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;

namespace Slingshot.Cli.Benchmarks;

/// <summary>What the harness benchmark runs.</summary>
internal sealed record HarnessBenchmarkSettings(int Problems, int Samples, int MaxTokens, double Temperature, int Concurrency, int Rounds);

/// <summary>One round: the bare n-sample calls and the full harness on the same prompts, seeds and calls.</summary>
/// <param name="BareSeconds">Wall time of the bare calls.</param>
/// <param name="HarnessSeconds">Wall time of the harness run.</param>
/// <param name="BareTokens">Completion tokens of the bare calls.</param>
/// <param name="HarnessTokens">Completion tokens of the harness run (equal: same seeds).</param>
/// <param name="Timings">Inside the harness: time in generation calls, the store and grading (summed over calls).</param>
internal sealed record HarnessRound(double BareSeconds, double HarnessSeconds, long BareTokens, long HarnessTokens, EvalTimings Timings)
{
    /// <summary>Wall-clock overhead: harness time over bare time, minus one (noisy on a shared machine).</summary>
    public double Overhead => HarnessSeconds / BareSeconds - 1;

    /// <summary>Store plus grading time as a share of generation time, measured inside the harness (not subject to drift between runs).</summary>
    public double AccountedShare => Timings.HarnessShare;
}

/// <summary>The benchmark's result, printed as JSON.</summary>
internal sealed record HarnessBenchmarkReport(string Model, long Parameters, string Task, int Threads, HarnessBenchmarkSettings Settings,
    IReadOnlyList<HarnessRound> Rounds, double MedianBareSeconds, double MedianHarnessSeconds, double MedianOverhead, double MedianAccountedShare,
    double BareTokensPerSecond);

/// <summary>
/// Measures what the evaluation harness costs on top of generation: the same calls (problem, sample range,
/// seed, settings) once through the bare n-sample API and once through <see cref="EvalRunner"/> with a fresh
/// store (SQLite writes, grading, bookkeeping), alternating within each round so machine drift hits both.
/// </summary>
internal static class HarnessBenchmark
{
    public static async Task<HarnessBenchmarkReport> RunAsync(LoadedEngine loaded, IBenchmarkTask task, HarnessBenchmarkSettings settings,
        Action<string, double> progress, CancellationToken ct)
    {
        var model = Commands.EvalCommand.LocalModel(loaded, settings.Concurrency, default);
        var options = new EvalOptions
        {
            SamplesPerProblem = settings.Samples,
            Temperature = settings.Temperature,
            MaxTokens = settings.MaxTokens,
            Limit = settings.Problems,
            Seed = 1,
        };
        var problems = task.LoadProblems().Take(settings.Problems).ToList();
        var chunk = Math.Min(settings.Samples, model.MaxSamplesPerCall);
        var calls = problems.SelectMany(p => Enumerable.Range(0, (settings.Samples + chunk - 1) / chunk)
            .Select(c => (Problem: p, First: c * chunk, Count: Math.Min(chunk, settings.Samples - c * chunk)))).ToList();

        var rounds = new List<HarnessRound>();
        var dir = Directory.CreateTempSubdirectory("slingshot-bench-harness-");
        try
        {
            // Warm-up (JIT, caches), not counted: one call each way.
            progress("warm-up", 0);
            await BareAsync(model, task, calls.Take(1).ToList(), settings, ct);
            await HarnessAsync(task, model, options with { Limit = 1, SamplesPerProblem = chunk }, Path.Combine(dir.FullName, "warmup.db"), ct);

            for (var round = 0; round < settings.Rounds; round++)
            {
                progress($"round {round + 1} of {settings.Rounds}", (double)round / settings.Rounds);
                // Alternate which goes first, so drift of this shared machine within a round hits both sides alike.
                double bareSeconds, harnessSeconds;
                long bareTokens, harnessTokens;
                EvalTimings timings;
                var path = Path.Combine(dir.FullName, $"round{round}.db");
                if (round % 2 == 0)
                {
                    (bareSeconds, bareTokens) = await BareAsync(model, task, calls, settings, ct);
                    (harnessSeconds, harnessTokens, timings) = await HarnessAsync(task, model, options, path, ct);
                }
                else
                {
                    (harnessSeconds, harnessTokens, timings) = await HarnessAsync(task, model, options, path, ct);
                    (bareSeconds, bareTokens) = await BareAsync(model, task, calls, settings, ct);
                }
                rounds.Add(new HarnessRound(bareSeconds, harnessSeconds, bareTokens, harnessTokens, timings));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
        progress("done", 1);
        var bare = Median(rounds.Select(r => r.BareSeconds));
        return new HarnessBenchmarkReport(model.ModelId, loaded.Model.Info.ParameterCount, task.Name, loaded.Engine.Threads, settings, rounds,
            bare, Median(rounds.Select(r => r.HarnessSeconds)), Median(rounds.Select(r => r.Overhead)), Median(rounds.Select(r => r.AccountedShare)),
            Median(rounds.Select(r => r.BareTokens / r.BareSeconds)));
    }

    private static async Task<(double Seconds, long Tokens, EvalTimings Timings)> HarnessAsync(IBenchmarkTask task, EvalModel model, EvalOptions options, string storePath,
        CancellationToken ct)
    {
        using var store = RunStore.Open(storePath);
        var clock = Stopwatch.StartNew();
        var runner = new EvalRunner(task, model, store, options);
        var summary = await runner.RunAsync(cancellationToken: ct);
        return (clock.Elapsed.TotalSeconds, summary.Cost.CompletionTokens, runner.Timings);
    }

    private static async Task<(double Seconds, long Tokens)> BareAsync(EvalModel model, IBenchmarkTask task,
        IReadOnlyList<(Problem Problem, int First, int Count)> calls, HarnessBenchmarkSettings settings, CancellationToken ct)
    {
        long tokens = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = ct }, async (call, token) =>
        {
            // Exactly the options EvalRunner sends for this call.
            var options = task.DefaultOptions.Clone();
            options.Temperature = (float)settings.Temperature;
            options.TopP = 1f;
            options.MaxOutputTokens = settings.MaxTokens;
            options.Seed = SampleSeeds.ProblemSeed(1, call.Problem.Id) + call.First;
            var result = await model.Source.SampleAsync(SampleRequest.Chat(call.Problem.Messages, call.Count, options, topLogprobs: 0), token);
            Interlocked.Add(ref tokens, result.Usage.CompletionTokens);
        });
        return (clock.Elapsed.TotalSeconds, tokens);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
