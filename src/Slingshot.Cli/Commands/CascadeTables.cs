using System.Globalization;
using Slingshot.Evaluation.Cascades;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>The tables <c>slingshot cascade</c> prints: promised vs realized, the tiers alone, and the development frontier.</summary>
internal static class CascadeTables
{
    private const int FrontierRows = 12;

    public static void Write(CascadeReport report)
    {
        var tiers = string.Join(" -> ", report.Tiers.Select((t, i) =>
            $"{t.RunId} (k={t.Samples}{(i < report.Thresholds.Count ? Invariant($", {report.Escalation} >= {report.Thresholds[i]:G4}") : "")})"));
        AnsiConsole.MarkupLine($"[bold]cascade[/] {Markup.Escape(tiers)}");
        if (report.Calibration is { } calibration)
        {
            AnsiConsole.MarkupLine(Markup.Escape(Invariant($"objective: {calibration.Objective} ({(calibration.ObjectiveMet ? "met" : "NOT met on development; closest chosen")}), {calibration.CandidatesTried} threshold combinations tried")));
        }
        AnsiConsole.MarkupLine(Markup.Escape(Invariant($"split: {report.DevelopmentFraction:0.##} development (seed {report.SplitSeed}), {report.Development.Problems} development / {report.Test.Problems} test problems")
            + (report.SkippedProblems > 0 ? Invariant($", {report.SkippedProblems} skipped (a tier lacked graded samples)") : "")));

        var table = new Table().Border(TableBorder.Rounded).AddColumns("", "problems", "accuracy", "$/problem", "tokens/problem", "ms/problem", "answered by tier");
        table.AddRow(["promised (development)", .. Row(report.Development)]);
        table.AddRow(["realized (test)", .. Row(report.Test)]);
        foreach (var tier in report.TiersAloneOnTest)
        {
            table.AddRow(Markup.Escape($"{tier.RunId} alone, k={tier.Samples} (test)"),
                Invariant($"{report.Test.Problems}"), Invariant($"{tier.Accuracy:P1}"), Dollars(tier.CostPerProblem), Invariant($"{tier.TokensPerProblem:F1}"), Invariant($"{tier.LatencyMsPerProblem:F1}"), "-");
        }
        AnsiConsole.Write(table);

        if (report.Calibration is { } frontier)
        {
            var rows = new Table().Border(TableBorder.Rounded).Title("development frontier (no other thresholds are both cheaper and more accurate)")
                .AddColumns("thresholds", "accuracy", "$/problem", "answered by tier");
            var points = Thin(frontier.Frontier).Concat(frontier.Frontier.Where(p => p.Thresholds.SequenceEqual(report.Thresholds)))
                .Distinct().OrderBy(p => p.CostPerProblem);
            foreach (var point in points)
            {
                var chosen = point.Thresholds.SequenceEqual(report.Thresholds);
                rows.AddRow((chosen ? "> " : "") + string.Join(", ", point.Thresholds.Select(t => Invariant($"{t:G4}"))),
                    Invariant($"{point.Accuracy:P1}"), Dollars(point.CostPerProblem), Shares(point));
            }
            AnsiConsole.Write(rows);
        }
    }

    private static string[] Row(CascadeSimulationResult result) =>
        [Invariant($"{result.Problems}"), Invariant($"{result.Accuracy:P1}"), Dollars(result.CostPerProblem), Invariant($"{result.TokensPerProblem:F1}"),
            Invariant($"{result.LatencyMsPerProblem:F1}"), Shares(result)];

    private static string Shares(CascadeSimulationResult result) => string.Join(" / ", result.AnsweredShare.Select(s => Invariant($"{s:P0}")));

    private static string Dollars(double cost) => Invariant($"{cost:G4}");

    /// <summary>At most <see cref="FrontierRows"/> evenly spaced points, the ends kept, so a long frontier stays readable.</summary>
    private static IEnumerable<CascadeSimulationResult> Thin(IReadOnlyList<CascadeSimulationResult> frontier) =>
        frontier.Count <= FrontierRows
            ? frontier
            : Enumerable.Range(0, FrontierRows).Select(i => frontier[i * (frontier.Count - 1) / (FrontierRows - 1)]).Distinct();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
