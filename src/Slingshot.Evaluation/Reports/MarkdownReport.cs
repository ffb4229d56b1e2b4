using System.Text;
using static Slingshot.Evaluation.Reports.ReportFormatting;

namespace Slingshot.Evaluation.Reports;

/// <summary>Renders a report as GitHub-flavoured Markdown: the HTML report's tables plus coverage by k, without plots.</summary>
public static class MarkdownReport
{
    /// <summary>Renders <paramref name="input"/> as Markdown.</summary>
    public static string Render(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Runs);
        var rows = RunRow.For(input.Runs);
        var groups = TaskGroup.Of(rows);
        var md = new StringBuilder();
        md.Append("# ").Append(Escape(input.Title)).Append("\n\n")
            .Append("Generated ").Append(Timestamp(input.GeneratedAt))
            .Append(" · ").Append(rows.Count).Append(rows.Count == 1 ? " run" : " runs")
            .Append(" · ").Append(groups.Count).Append(groups.Count == 1 ? " task" : " tasks").Append("\n\n");
        if (rows.Count == 0)
        {
            md.Append("_No runs to report: the input holds no run summaries._\n");
            return md.ToString();
        }

        md.Append("## Runs\n\n");
        Table(md, ["Run id", "Model", "Task", "k", "Temperature", "Top-p", "Max tokens", "Seed", "Limit", "Problems", "Extras"],
            "lllrrrrrrrl",
            rows.Select(r => new[]
            {
                r.Run.RunId, r.Run.Settings.Model, $"{r.Run.Settings.Task} {r.Run.Settings.TaskVersion}".Trim(),
                Integer(r.Run.Settings.SamplesPerProblem), Setting(r.Run.Settings.Temperature), Setting(r.Run.Settings.TopP),
                Integer(r.Run.Settings.MaxTokens), Integer(r.Run.Settings.Seed),
                r.Run.Settings.Limit is { } limit ? Integer(limit) : "all", Integer(r.Run.Problems),
                string.Join(", ", r.Run.Settings.Extra.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")),
            }));

        foreach (var group in groups)
        {
            AppendTask(md, group);
        }
        if (input.ProblemResults is { Count: > 0 })
        {
            AppendProblems(md, input.ProblemResults, rows);
        }
        return md.ToString();
    }

    private static void AppendTask(StringBuilder md, TaskGroup group)
    {
        var comparison = CostComparison.Of(group);
        md.Append("## Task: ").Append(Escape(group.Title)).Append("\n\n### Results\n\n");
        Table(md,
            [
                "Run", "coverage@1", "coverage@n", "maj@n", "verifier", "logprob", "gap", "fit a", "fit b", "fit R²",
                "k@50%", "k@80%", "k@90%", "tokens / problem", "FLOPs / problem", "wall s", "$ / problem", "$ / solved", "Pareto",
            ],
            "l" + new string('r', 17) + "l",
            group.Rows.Select(r => new[]
            {
                r.Label, Percent(r.CoverageAt1), Percent(r.Run.CoverageAtN), Percent(r.Run.MajorityAtN),
                Percent(r.Run.VerifierSelectedAccuracy), Percent(r.Run.LogprobSelectedAccuracy), PercentagePoints(r.Run.SelectionGap),
                Decimal(r.Run.Fit?.A), Decimal(r.Run.Fit?.B), Decimal(r.Run.Fit?.RSquared),
                Samples(r.SamplesFor(0.5)), Samples(r.SamplesFor(0.8)), Samples(r.SamplesFor(0.9)),
                Quantity(r.Run.Cost.TokensPerProblem), Scientific(r.Run.Cost.FlopsPerProblem), Quantity(r.Run.Cost.WallSeconds, 1),
                Dollars(r.Run.Cost.PricePerProblem), Dollars(r.Run.Cost.PricePerSolved),
                comparison.IsOnFront(r) ? "front" : comparison.Unplotted.Contains(r) ? "n/a" : "",
            }));
        md.Append("Pareto front over ").Append(group.SelectedAccuracyName).Append(" and ")
            .Append(CostBases.Name(comparison.Basis))
            .Append(".\n\n");

        var ks = group.Rows.SelectMany(r => r.Run.Curve).Select(p => p.K).Distinct().Order().ToList();
        md.Append("### Coverage (pass@k) by k\n\n");
        CurveTable(md, group, ks, p => p.Coverage);
        if (group.Rows.Any(r => r.Run.Curve.Any(p => p.MajorityVote is not null)))
        {
            md.Append("### maj@k by k\n\n");
            CurveTable(md, group, ks, p => p.MajorityVote);
        }
    }

    private static void CurveTable(StringBuilder md, TaskGroup group, IReadOnlyList<int> ks, Func<Metrics.CoveragePoint, double?> value)
    {
        Table(md, ["k", .. group.Rows.Select(r => r.Label)], new string('r', group.Rows.Count + 1),
            ks.Select(k => new[] { Integer(k) }
                .Concat(group.Rows.Select(r => r.Run.Curve.FirstOrDefault(p => p.K == k) is { } point ? Percent(value(point)) : ""))
                .ToArray()));
    }

    private static void AppendProblems(StringBuilder md, IReadOnlyList<ProblemResult> results, IReadOnlyList<RunRow> rows)
    {
        md.Append("## Problems\n\n");
        Table(md, ["Run", "Problem", "Samples", "Correct", "Majority answer", "Majority correct"], "llrrll",
            results.Select(r => new[]
            {
                rows.FirstOrDefault(row => row.Run.RunId == r.RunId)?.Label ?? r.RunId, r.ProblemId,
                Integer(r.Samples), Integer(r.Correct), r.MajorityAnswer ?? Missing,
                r.MajorityAnswer is null ? Missing : r.MajorityCorrect ? "yes" : "no",
            }));
    }

    /// <summary>A pipe table; <paramref name="alignment"/> holds 'l' or 'r' per column.</summary>
    private static void Table(StringBuilder md, IReadOnlyList<string> headers, string alignment, IEnumerable<string[]> rows)
    {
        md.Append("| ").Append(string.Join(" | ", headers.Select(Escape))).Append(" |\n|");
        foreach (var align in alignment)
        {
            md.Append(align == 'r' ? " ---: |" : " --- |");
        }
        md.Append('\n');
        foreach (var row in rows)
        {
            md.Append("| ").Append(string.Join(" | ", row.Select(Escape))).Append(" |\n");
        }
        md.Append('\n');
    }

    /// <summary>
    /// Makes text literal in a table cell: pipes and Markdown punctuation are backslash-escaped, HTML is defused
    /// (GitHub renders inline HTML), line breaks become spaces.
    /// </summary>
    internal static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '#':
                    escaped.Append('\\').Append(c);
                    break;
                case '<':
                    escaped.Append("&lt;");
                    break;
                case '>':
                    escaped.Append("&gt;");
                    break;
                case '&':
                    escaped.Append("&amp;");
                    break;
                case '\r' or '\n':
                    escaped.Append(' ');
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }
        return escaped.ToString();
    }
}
