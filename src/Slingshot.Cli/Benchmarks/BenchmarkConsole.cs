using Spectre.Console;

namespace Slingshot.Cli.Benchmarks;

/// <summary>What every `slingshot bench` command does around its measurement: a progress bar on stderr, the JSON report.</summary>
internal static class BenchmarkConsole
{
    /// <summary>
    /// Runs <paramref name="measure"/> under a progress bar on stderr (stdout stays for the JSON report). The
    /// benchmark reports what it is doing and the fraction done; the bar shows both, with elapsed and remaining time.
    /// </summary>
    public static async Task<T> RunWithProgressAsync<T>(string label, Func<Action<string, double>, Task<T>> measure)
    {
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        await stderr.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask(label, maxValue: 1.0);
                result = await measure((what, fraction) =>
                {
                    bar.Description = $"{label}: {what}";
                    bar.Value = fraction;
                });
            });
        return result;
    }

    /// <summary>The report as JSON, also written to <paramref name="file"/> when one is given.</summary>
    public static async Task<string> ToJsonAsync<T>(T report, string? file, CancellationToken ct)
    {
        var text = System.Text.Json.JsonSerializer.Serialize(report, Json.Options);
        if (file is not null)
        {
            await File.WriteAllTextAsync(file, text, ct);
        }
        return text;
    }
}
