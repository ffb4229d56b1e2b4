using Slingshot.Evaluation.Routing;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>Runs router work under a progress bar on stderr (featurizing, training epochs, scoring).</summary>
internal static class RouteProgressBar
{
    public static async Task<T> RunAsync<T>(Func<IProgress<RoutingProgress>, Task<T>> work)
    {
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        await stderr.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask("starting", maxValue: 1);
                var progress = new InlineProgress(p =>
                {
                    bar.MaxValue = Math.Max(1, p.Total);
                    bar.Value = p.Done;
                    bar.Description = $"{p.Phase} {p.Done}/{p.Total}";
                });
                result = await work(progress);
                bar.Value = bar.MaxValue;
            });
        return result;
    }

    /// <summary>Reports on the caller's thread: the bar only reads the latest values.</summary>
    private sealed class InlineProgress(Action<RoutingProgress> report) : IProgress<RoutingProgress>
    {
        public void Report(RoutingProgress value) => report(value);
    }
}
