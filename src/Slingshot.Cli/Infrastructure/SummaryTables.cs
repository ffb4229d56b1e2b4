using System.Globalization;
using Slingshot.Evaluation.Metrics;
using Spectre.Console;

namespace Slingshot.Cli;

/// <summary>Run summaries as console tables: one row per run, and the coverage / maj@k curve by k.</summary>
internal static class SummaryTables
{
    public static void Write(IAnsiConsole console, IReadOnlyList<RunSummary> runs)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]runs[/]")
            .AddColumns("run", "model", "task", "problems", "k", "pass@1", "pass@k", "maj@k", "best logprob", "fit a, b (R²)", "k for 80%", "tokens/problem", "FLOPs/problem", "$/solved", "wall");
        foreach (var run in runs)
        {
            table.AddRow(
                Markup.Escape(run.RunId), Markup.Escape(run.Settings.Model), Markup.Escape($"{run.Settings.Task} ({run.Settings.TaskVersion})"),
                Int(run.Problems), Int(run.SamplesPerProblem),
                Percent(run.Curve.Count > 0 ? run.Curve[0].Coverage : null), Percent(run.CoverageAtN), Percent(run.MajorityAtN),
                Percent(run.LogprobSelectedAccuracy),
                run.Fit is { } f ? Invariant($"{f.A:F2}, {f.B:F2} ({f.RSquared:F2})") : "-",
                run.Fit?.SamplesFor(0.8) is { } k80 ? Invariant($"{k80:G3}") : "-",
                Invariant($"{run.Cost.TokensPerProblem:F0}"), Invariant($"{run.Cost.FlopsPerProblem:G3}"),
                run.Cost.PriceUsd > 0 && run.Cost.Solved > 0 ? Invariant($"{run.Cost.PricePerSolved:G3}") : "-",
                Invariant($"{run.Cost.WallSeconds:F1} s"));
        }
        console.Write(table);

        var ks = runs.SelectMany(r => r.Curve.Select(p => p.K)).Distinct().Order().ToList();
        if (ks.Count == 0)
        {
            return;
        }
        var curve = new Table().Border(TableBorder.Rounded).Title("[bold]coverage (pass@k) / maj@k by k[/]").AddColumn("k");
        foreach (var run in runs)
        {
            curve.AddColumn(Markup.Escape(run.RunId));
        }
        foreach (var k in ks)
        {
            var cells = new List<string> { Int(k) };
            foreach (var run in runs)
            {
                var point = run.Curve.FirstOrDefault(p => p.K == k);
                cells.Add(point is null ? "" : $"{Percent(point.Coverage)} / {Percent(point.MajorityVote)}");
            }
            curve.AddRow(cells.ToArray());
        }
        console.Write(curve);
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
