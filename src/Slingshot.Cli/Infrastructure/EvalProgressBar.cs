using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Runs;
using Spectre.Console;

namespace Slingshot.Cli;

/// <summary>Runs an evaluation under a progress bar on stderr: problems and samples done, tokens/s, running coverage, ETA.</summary>
internal static class EvalProgressBar
{
    public static async Task<RunSummary> RunAsync(EvalRunner runner, CancellationToken ct)
    {
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        RunSummary summary = null!;
        EvalProgress? last = null;
        await stderr.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask("starting", maxValue: 1);
                var progress = new InlineProgress(p =>
                {
                    last = p;
                    bar.MaxValue = Math.Max(1, p.SamplesTotal);
                    bar.Value = p.SamplesDone;
                    bar.Description = $"problems {p.ProblemsDone}/{p.ProblemsTotal}  samples {p.SamplesDone}/{p.SamplesTotal}  " +
                        $"{p.TokensPerSecond:F0} tok/s  coverage {p.RunningCoverage:P1}" +
                        (p.SamplesElsewhere > 0 ? $"  ({p.SamplesElsewhere} being drawn by another eval)" : "");
                });
                summary = await runner.RunAsync(progress, ct);
                bar.Value = bar.MaxValue;
            });
        if (last is { } p)
        {
            // One plain line that survives redirection (the bar only draws on a terminal).
            Console.Error.WriteLine($"problems {p.ProblemsDone}/{p.ProblemsTotal}, samples {p.SamplesDone}/{p.SamplesTotal} ({p.SamplesDrawn} drawn now), " +
                $"{p.TokensPerSecond:F0} tok/s, coverage {p.RunningCoverage:P1}, {p.Elapsed.TotalSeconds:F1} s");
        }
        return summary;
    }

    /// <summary>Reports on the caller's thread: the bar only reads the latest values.</summary>
    private sealed class InlineProgress(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => report(value);
    }
}
