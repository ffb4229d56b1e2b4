using System.Globalization;
using Slingshot.Evaluation.Optimization;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>Runs a search under a progress display on stderr: samples used (of the budget), configurations measured, arms alive, the current best.</summary>
internal static class OptimizeProgressBar
{
    public static async Task<OptimizeResult> RunAsync(OptimizeRunner runner, EvalArmSampler sampler, CancellationToken ct)
    {
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        OptimizeResult result = null!;
        OptimizeProgress? last = null;
        await stderr.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var search = ctx.AddTask("starting", maxValue: 1);
                var drawing = ctx.AddTask("  waiting to draw", maxValue: 1);
                var progress = new InlineProgress(p =>
                {
                    last = p;
                    search.MaxValue = Math.Max(1, p.BudgetSamples ?? Math.Max(p.SamplesUsed, 1));
                    search.Value = Math.Min(search.MaxValue, p.SamplesUsed);
                    search.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"round {p.Round}  samples {p.SamplesUsed}{(p.BudgetSamples is { } b ? $"/{b}" : "")} ({p.SamplesDrawn} drawn now)  configurations {p.ConfigurationsMeasured}  " +
                        $"arms alive {p.ArmsAlive}  best: {p.CurrentBest ?? "-"}  [{p.Phase}]"));
                });
                var drawProgress = sampler.OnProgressTarget;
                drawProgress.Handler = (arm, p) =>
                {
                    drawing.MaxValue = Math.Max(1, p.SamplesTotal);
                    drawing.Value = p.SamplesDone;
                    drawing.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"  {arm}: samples {p.SamplesDone}/{p.SamplesTotal}, {p.TokensPerSecond:F0} tok/s"));
                };
                result = await runner.RunAsync(progress, ct);
                search.Value = search.MaxValue;
                drawing.Value = drawing.MaxValue;
            });
        if (last is { } l)
        {
            // One plain line that survives redirection (the bars only draw on a terminal).
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{l.Round} rounds, {l.SamplesUsed} samples used ({l.SamplesDrawn} drawn now), {l.ConfigurationsMeasured} configurations measured"));
        }
        return result;
    }

    private sealed class InlineProgress(Action<OptimizeProgress> report) : IProgress<OptimizeProgress>
    {
        public void Report(OptimizeProgress value) => report(value);
    }
}
