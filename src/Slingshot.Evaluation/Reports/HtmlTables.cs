using System.Text;
using static Slingshot.Evaluation.Reports.ReportFormatting;

namespace Slingshot.Evaluation.Reports;

/// <summary>The tables of the HTML report; every piece of text passes through HTML encoding.</summary>
internal static class HtmlTables
{
    /// <summary>One row per run with everything needed to reproduce it.</summary>
    public static void AppendSettings(StringBuilder html, IReadOnlyList<RunRow> rows)
    {
        html.Append("<div class=\"table-wrap\"><table class=\"settings\">\n<thead><tr>");
        foreach (var (header, css) in new[]
        {
            ("Run id", "text"), ("Model", "text"), ("Task", "text"), ("k", ""), ("Temperature", ""),
            ("Top-p", ""), ("Max tokens", ""), ("Seed", ""), ("Limit", ""), ("Problems", ""), ("Created", "text"),
            ("Extras", "text"),
        })
        {
            html.Append(Cell("th", header, css));
        }
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            var settings = row.Run.Settings;
            html.Append("<tr>")
                .Append(Cell("td", row.Run.RunId, "text"))
                .Append(Cell("td", settings.Model, "text"))
                .Append(Cell("td", $"{settings.Task} {settings.TaskVersion}".Trim(), "text"))
                .Append(Cell("td", Integer(settings.SamplesPerProblem)))
                .Append(Cell("td", Setting(settings.Temperature)))
                .Append(Cell("td", Setting(settings.TopP)))
                .Append(Cell("td", Integer(settings.MaxTokens)))
                .Append(Cell("td", Integer(settings.Seed)))
                .Append(Cell("td", settings.Limit is { } limit ? Integer(limit) : "all"))
                .Append(Cell("td", Integer(row.Run.Problems)))
                .Append(Cell("td", row.Run.CreatedAt == default ? Missing : Timestamp(row.Run.CreatedAt), "text"))
                .Append("<td class=\"extras\">")
                .Append(string.Join(", ", settings.Extra.OrderBy(e => e.Key, StringComparer.Ordinal)
                    .Select(e => $"<code>{E(e.Key)}={E(e.Value)}</code>")))
                .Append("</td></tr>\n");
        }
        html.Append("</tbody></table></div>\n");
    }

    /// <summary>One row per run of a task: accuracy, selection, the coverage fit and cost.</summary>
    public static void AppendResults(StringBuilder html, TaskGroup group, CostComparison comparison)
    {
        html.Append("<div class=\"table-wrap\"><table class=\"results\">\n<thead>\n<tr>")
            .Append("<th class=\"text run\" rowspan=\"2\">Run</th>")
            .Append("<th class=\"group\" colspan=\"6\">Accuracy</th>")
            .Append("<th class=\"group\" colspan=\"6\">Coverage fit exp(a·k<sup>b</sup>)</th>")
            .Append("<th class=\"group\" colspan=\"5\">Cost</th>")
            .Append("<th rowspan=\"2\" title=\"On the accuracy/cost Pareto front\">Pareto</th></tr>\n<tr>");
        string[] headers =
        [
            "coverage@1", "coverage@n", "maj@n", "verifier", "logprob", "gap",
            "a", "b", "R²", "k@50%", "k@80%", "k@90%",
            "tokens / problem", "FLOPs / problem", "wall s", "$ / problem", "$ / solved",
        ];
        for (var i = 0; i < headers.Length; i++)
        {
            html.Append(Cell("th", headers[i], i is 0 or 6 or 12 ? "sep" : ""));
        }
        html.Append("</tr>\n</thead>\n<tbody>\n");
        foreach (var row in group.Rows)
        {
            var run = row.Run;
            var cost = run.Cost;
            html.Append("<tr>")
                .Append(Cell("td", row.Label, "text run"))
                .Append(Cell("td", Percent(row.CoverageAt1), "sep"))
                .Append(Cell("td", Percent(run.CoverageAtN)))
                .Append(Cell("td", Percent(run.MajorityAtN)))
                .Append(Cell("td", Percent(run.VerifierSelectedAccuracy)))
                .Append(Cell("td", Percent(run.LogprobSelectedAccuracy)))
                .Append(Cell("td", PercentagePoints(run.SelectionGap)))
                .Append(Cell("td", Decimal(run.Fit?.A), "sep"))
                .Append(Cell("td", Decimal(run.Fit?.B)))
                .Append(Cell("td", Decimal(run.Fit?.RSquared)))
                .Append(Cell("td", Samples(row.SamplesFor(0.5))))
                .Append(Cell("td", Samples(row.SamplesFor(0.8))))
                .Append(Cell("td", Samples(row.SamplesFor(0.9))))
                .Append(Cell("td", Quantity(cost.TokensPerProblem), "sep"))
                .Append(Cell("td", Scientific(cost.FlopsPerProblem)))
                .Append(Cell("td", Quantity(cost.WallSeconds, 1)))
                .Append(Cell("td", Dollars(cost.PricePerProblem)))
                .Append(Cell("td", Dollars(cost.PricePerSolved)))
                .Append(ParetoCell(row, comparison))
                .Append("</tr>\n");
        }
        html.Append("</tbody></table></div>\n");
    }

    /// <summary>Problems × runs: correct of samples, and the majority answer with its verdict.</summary>
    public static void AppendProblems(StringBuilder html, IReadOnlyList<ProblemResult> results, IReadOnlyList<RunRow> rows)
    {
        var runIds = results.Select(r => r.RunId).Distinct().ToList();
        var labels = runIds.ToDictionary(id => id, id => rows.FirstOrDefault(r => r.Run.RunId == id)?.Label ?? id);
        var byProblem = results.GroupBy(r => r.ProblemId).ToList();
        html.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"<details><summary>Per-problem results ({byProblem.Count} problems × {runIds.Count} runs)</summary>\n");
        html.Append("<div class=\"table-wrap\"><table class=\"problems\">\n<thead><tr>").Append(Cell("th", "Problem", "text"));
        foreach (var id in runIds)
        {
            html.Append(Cell("th", labels[id], "text"));
        }
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var problem in byProblem)
        {
            html.Append("<tr>").Append(Cell("td", problem.Key, "text"));
            foreach (var id in runIds)
            {
                var result = problem.FirstOrDefault(r => r.RunId == id);
                if (result is null)
                {
                    html.Append(Cell("td", Missing, "text"));
                    continue;
                }
                var text = $"{result.Correct}/{result.Samples}";
                if (result.MajorityAnswer is not null)
                {
                    text += $" · maj {result.MajorityAnswer} {(result.MajorityCorrect ? "✓" : "✗")}";
                }
                html.Append(Cell("td", text, result.Correct > 0 ? "text ok" : "text bad"));
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table></div></details>\n");
    }

    private static string ParetoCell(RunRow row, CostComparison comparison)
    {
        if (comparison.IsOnFront(row))
        {
            return "<td class=\"front\" title=\"on the Pareto front\">✓</td>";
        }
        return comparison.Unplotted.Contains(row) ? Cell("td", "n/a") : Cell("td", "");
    }

    private static string Cell(string tag, string text, string css = "") =>
        css.Length == 0 ? $"<{tag}>{E(text)}</{tag}>" : $"<{tag} class=\"{css}\">{E(text)}</{tag}>";

    private static string E(string text) => HtmlText.Encode(text);
}
