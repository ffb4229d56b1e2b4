using System.Globalization;
using System.Text;

namespace Slingshot.Evaluation.Reports;

/// <summary>
/// Renders a report as one self-contained HTML page: inline CSS and SVG, no script, no font or other resource
/// fetched, so it opens anywhere and can be archived or mailed as a single file.
/// </summary>
public static class HtmlReport
{
    /// <summary>Renders <paramref name="input"/> as an HTML document.</summary>
    public static string Render(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Runs);
        var rows = RunRow.For(input.Runs);
        var groups = TaskGroup.Of(rows);

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(CultureInfo.InvariantCulture, $"<title>{E(input.Title)}</title>\n")
            .Append("<style>\n").Append(HtmlStyles.Css).Append("\n</style>\n</head>\n<body>\n<main>\n")
            .Append(CultureInfo.InvariantCulture, $"<header><h1>{E(input.Title)}</h1>\n<p class=\"meta\">Generated {E(ReportFormatting.Timestamp(input.GeneratedAt))}")
            .Append(CultureInfo.InvariantCulture, $" · {rows.Count} {(rows.Count == 1 ? "run" : "runs")} · {groups.Count} {(groups.Count == 1 ? "task" : "tasks")}</p></header>\n");

        if (rows.Count == 0)
        {
            html.Append("<p class=\"empty\">No runs to report: the input holds no run summaries. ")
                .Append("Run an evaluation first, then render the report from its run store.</p>\n");
        }
        else
        {
            html.Append("<section>\n<h2>Runs</h2>\n");
            HtmlTables.AppendSettings(html, rows);
            html.Append("</section>\n");
            foreach (var group in groups)
            {
                AppendTask(html, group);
            }
            if (input.ProblemResults is { Count: > 0 })
            {
                html.Append("<section>\n<h2>Problems</h2>\n");
                HtmlTables.AppendProblems(html, input.ProblemResults, rows);
                html.Append("</section>\n");
            }
            AppendDefinitions(html);
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendTask(StringBuilder html, TaskGroup group)
    {
        var comparison = CostComparison.Of(group);
        html.Append(CultureInfo.InvariantCulture, $"<section>\n<h2>Task: {E(group.Title)}</h2>\n");
        HtmlTables.AppendResults(html, group, comparison);
        html.Append("<div class=\"plots\">\n<figure>\n").Append(CoveragePlot.Render(group))
            .Append("\n<figcaption>Solid: coverage (pass@k, share of problems with a correct sample among k); dashed: maj@k; dotted: fitted coverage exp(a·k<sup>b</sup>).</figcaption>\n</figure>\n");
        html.Append("<figure>\n").Append(CostAccuracyPlot.Render(group, comparison)).Append("\n<figcaption>");
        var front = comparison.Front.Select(p => p.Row.Label).ToList();
        html.Append(CultureInfo.InvariantCulture, $"Ringed runs form the Pareto front (no other run is both cheaper and more accurate): {E(front.Count == 0 ? "none" : string.Join(", ", front))}.");
        if (comparison.Unplotted.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture,
                $" Not plotted (cost or accuracy unknown): {E(string.Join(", ", comparison.Unplotted.Select(r => r.Label)))}.");
        }
        if (comparison.Points.Any(p => p.Cost == 0))
        {
            html.Append(" Runs that cost nothing in this measure sit on the left edge, at 0.");
        }
        html.Append("</figcaption>\n</figure>\n</div>\n</section>\n");
    }

    private static void AppendDefinitions(StringBuilder html)
    {
        html.Append("<footer><dl>\n")
            .Append("<dt>coverage@k</dt><dd>Mean unbiased pass@k: share of problems with at least one correct sample among k.</dd>\n")
            .Append("<dt>maj@k</dt><dd>Share of problems whose most frequent extracted answer among k samples is correct.</dd>\n")
            .Append("<dt>verifier / logprob</dt><dd>Accuracy of the sample a verifier selects / of the sample with the highest mean token log-probability.</dd>\n")
            .Append("<dt>gap</dt><dd>coverage@n − maj@n: what the samples contain but majority vote does not pick out.</dd>\n")
            .Append("<dt>k@x%</dt><dd>Samples per problem the fit predicts for x% coverage; — when it never gets there.</dd>\n")
            .Append("<dt>cost</dt><dd>FLOPs ≈ 2 × parameters × tokens; $ from the model's price table; wall s is the run's total generation time.</dd>\n")
            .Append("</dl></footer>\n");
    }

    private static string E(string text) => HtmlText.Encode(text);
}
