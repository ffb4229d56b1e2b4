using System.Globalization;
using System.Text;
using Slingshot.Evaluation.Reports;
using Slingshot.Evaluation.Reports.Plotting;

namespace Slingshot.Evaluation.Optimization;

/// <summary>
/// The page <c>slingshot optimize</c> writes: the choice and its held-out check, accuracy against cost for every
/// configuration with its confidence interval and the Pareto front, and every configuration's figures. Self-contained
/// like the eval report (inline CSS and SVG, no script), and drawn with the same plot code.
/// </summary>
public static class OptimizeHtmlReport
{
    private const string FrontColor = "#374151";
    private const string ChosenColor = "#D55E00";
    private const string OtherColor = "#0072B2";

    /// <summary>Renders <paramref name="result"/> as an HTML document.</summary>
    public static string Render(OptimizeResult result, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        var title = $"slingshot optimize — {result.Task}";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title>\n<style>\n{HtmlStyles.Css}\n</style>\n</head>\n<body>\n<main>\n")
            .Append(CultureInfo.InvariantCulture, $"<header><h1>{E(title)}</h1>\n<p class=\"meta\">Generated {E(ReportFormatting.Timestamp(generatedAt))} · target {P(o.Target)} ")
            .Append(CultureInfo.InvariantCulture, $"at {P(o.Confidence)} confidence · cost in {E(BasisName(o.CostBasis))} · {result.DevelopmentProblems} development and {result.HeldOutProblems} held-out problems</p></header>\n");

        html.Append("<section>\n<h2>Choice</h2>\n").Append(ChoiceText(result)).Append("</section>\n");

        html.Append("<section>\n<h2>Accuracy against cost</h2>\n<div class=\"plots\">\n<figure>\n").Append(Plot(result))
            .Append("\n<figcaption>Every configuration on the development split with its Wilson interval; ringed: the Pareto front (no other configuration is both cheaper and more accurate)")
            .Append("; the chosen one in vermillion. Configurations that cost nothing in this measure sit on the left edge.</figcaption>\n</figure>\n</div>\n</section>\n");

        html.Append("<section>\n<h2>Every configuration</h2>\n");
        AppendTable(html, result);
        html.Append("</section>\n<section>\n<h2>Candidates and samples</h2>\n");
        AppendArms(html, result);
        html.Append("</section>\n");
        html.Append("<footer><dl>\n")
            .Append("<dt>accuracy</dt><dd>Unbiased estimate from the stored samples: the mean over every k-subset of a run's n samples (pass@k for verifiers, exact for best-of-n by log-probability); cascades replay their tiers' first k samples.</dd>\n")
            .Append("<dt>interval</dt><dd>Wilson score interval, each end one-sided at the requested confidence; the target is reached when the lower end reaches it.</dd>\n")
            .Append("<dt>cost</dt><dd>Dollars: endpoint prices per token, local models by measured wall time at the given $/hour. FLOPs: 2 × parameters × tokens (local only). Seconds: measured wall time per problem.</dd>\n")
            .Append("<dt>latency</dt><dd>Median and 95th percentile over problems of the time of the stored calls a configuration uses.</dd>\n")
            .Append("</dl></footer>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string ChoiceText(OptimizeResult result)
    {
        var text = new StringBuilder();
        if (result.Choice.Chosen is { } chosen)
        {
            text.Append(CultureInfo.InvariantCulture, $"<p><strong>{E(chosen.Name)}</strong> is the cheapest configuration that reaches {P(result.Options.Target)}: ")
                .Append(CultureInfo.InvariantCulture, $"{P(chosen.Accuracy)} on {chosen.Problems} development problems (interval {P(chosen.Lower)}–{P(chosen.Upper)}), ")
                .Append(CultureInfo.InvariantCulture, $"{E(Cost(result.Options.CostBasis, chosen.CostPerProblem))} per problem, latency p50 {Ms(chosen.LatencyP50Ms)}, p95 {Ms(chosen.LatencyP95Ms)}.</p>\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"<p><strong>No configuration reaches {P(result.Options.Target)}</strong> at {P(result.Options.Confidence)} confidence.");
            if (result.Choice.Closest is { } closest)
            {
                text.Append(CultureInfo.InvariantCulture, $" The closest is {E(closest.Name)}: {P(closest.Accuracy)} (lower bound {P(closest.Lower)}) at {E(Cost(result.Options.CostBasis, closest.CostPerProblem))} per problem.");
            }
            text.Append("</p>\n");
        }
        var held = result.HeldOut;
        text.Append(held switch
        {
            { Result: { } r, Held: true } => $"<p class=\"ok\">Held-out check: <strong>held</strong> — {P(r.Accuracy)} on {r.Problems} held-out problems (interval {P(r.Lower)}–{P(r.Upper)}).</p>\n",
            { Result: { } r } => $"<p class=\"bad\">Held-out check: <strong>not held</strong> — {P(r.Accuracy)} on {r.Problems} held-out problems (interval {P(r.Lower)}–{P(r.Upper)}), below the target.</p>\n",
            _ => $"<p>Held-out check: not made ({E(held.Note ?? "")}).</p>\n",
        });
        text.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">{result.SamplesUsed} samples used ({result.SamplesDrawn} drawn by this run, the rest found in the store) in {result.Rounds} rounds; ")
            .Append(CultureInfo.InvariantCulture, $"measuring every candidate at k = {result.Options.MaxSamples} would take {result.ExhaustiveSamples}.</p>\n");
        return text.ToString();
    }

    private static string Plot(OptimizeResult result)
    {
        var basis = result.Options.CostBasis;
        var points = result.Configurations.Where(c => double.IsFinite(c.CostPerProblem) && c.CostPerProblem >= 0).ToList();
        var positive = points.Select(p => p.CostPerProblem).Where(c => c > 0).ToList();
        var x = PlotAxis.LogRange(positive.DefaultIfEmpty(1).Min(), positive.DefaultIfEmpty(1).Max(), points.Any(p => p.CostPerProblem == 0),
            $"{BasisName(basis)} per problem (log scale)", v => basis == OptimizeCostBasis.Dollars ? "$" + ReportFormatting.Compact(v) : ReportFormatting.Compact(v));
        var plot = new SvgPlot($"Accuracy vs. cost — {result.Task}", x, PlotAxis.Percent("Accuracy (development split)"));
        var front = result.Front.Where(f => points.Contains(f)).ToList();
        if (front.Count > 0)
        {
            var steps = new List<PlotPoint> { new(front[0].CostPerProblem, front[0].Accuracy) };
            for (var i = 1; i < front.Count; i++)
            {
                steps.Add(new PlotPoint(front[i].CostPerProblem, front[i - 1].Accuracy));
                steps.Add(new PlotPoint(front[i].CostPerProblem, front[i].Accuracy));
            }
            steps.Add(new PlotPoint(x.Max, front[^1].Accuracy));
            plot.Add(new PlotSeries { Color = FrontColor, Points = steps, Marker = MarkerShape.None, LineWidth = 2, LineOpacity = 0.55, LegendLabel = "Pareto front" });
        }
        var chosen = result.Choice.Chosen;
        foreach (var point in points)
        {
            var color = ReferenceEquals(point, chosen) ? ChosenColor : OtherColor;
            plot.Add(new PlotSeries
            {
                Color = color, Marker = MarkerShape.None, LineWidth = 1.2, LineOpacity = 0.5,
                Points = [new PlotPoint(point.CostPerProblem, point.Lower), new PlotPoint(point.CostPerProblem, point.Upper)],
            });
            var tooltip = $"{point.Name}: {P(point.Accuracy)} [{P(point.Lower)}, {P(point.Upper)}] at {Cost(basis, point.CostPerProblem)}";
            plot.Add(new PlotSeries
            {
                Color = color, Line = LineStyle.None, MarkerRadius = ReferenceEquals(point, chosen) ? 8 : 4.5,
                Ringed = front.Contains(point), Points = [new PlotPoint(point.CostPerProblem, point.Accuracy, tooltip)],
            });
        }
        if (chosen is not null && points.Contains(chosen))
        {
            plot.Add(new PlotLabel(new PlotPoint(chosen.CostPerProblem, chosen.Accuracy), "chosen: " + chosen.Name));
        }
        plot.Add(new LegendEntry($"chosen ({(chosen is null ? "none reaches the target" : "reaches the target")})", ChosenColor, LineStyle.None, MarkerShape.Circle));
        plot.Add(new LegendEntry("other configurations (bars: Wilson interval)", OtherColor, LineStyle.Solid, MarkerShape.Circle));
        return plot.Render();
    }

    private static void AppendTable(StringBuilder html, OptimizeResult result)
    {
        var basis = result.Options.CostBasis;
        var front = result.Front.ToHashSet();
        html.Append("<div class=\"table-wrap\"><table class=\"results\">\n<thead><tr><th class=\"text\">configuration</th><th>accuracy</th><th>interval</th>")
            .Append(CultureInfo.InvariantCulture, $"<th>cost / problem ({E(BasisName(basis))})</th><th>latency p50</th><th>latency p95</th><th>front</th><th>reaches target</th><th>servable</th></tr></thead>\n<tbody>\n");
        foreach (var c in result.Configurations.OrderBy(c => double.IsFinite(c.CostPerProblem) ? c.CostPerProblem : double.MaxValue).ThenByDescending(c => c.Accuracy))
        {
            var chosen = ReferenceEquals(c, result.Choice.Chosen);
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"text run\">{(chosen ? "★ " : "")}{E(c.Name)}</td><td>{P(c.Accuracy)}</td><td>{P(c.Lower)}–{P(c.Upper)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(Cost(basis, c.CostPerProblem))}</td><td>{Ms(c.LatencyP50Ms)}</td><td>{Ms(c.LatencyP95Ms)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"{(front.Contains(c) ? "front" : "")}\">{(front.Contains(c) ? "yes" : "")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"{(ConfigurationChoice.Reaches(c, result.Options.Target) ? "ok" : "bad")}\">{(ConfigurationChoice.Reaches(c, result.Options.Target) ? "yes" : "no")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{(c.Spec.Servable ? "yes" : "not yet")}</td></tr>\n");
        }
        html.Append("</tbody></table></div>\n");
    }

    private static void AppendArms(StringBuilder html, OptimizeResult result)
    {
        html.Append("<div class=\"table-wrap\"><table>\n<thead><tr><th class=\"text\">candidate</th><th class=\"text\">model</th><th>temperature</th><th>samples per development problem</th>")
            .Append("<th>cost per problem (prompt)</th><th>cost per sample</th><th class=\"text\">run in the store</th></tr></thead>\n<tbody>\n");
        foreach (var arm in result.Arms)
        {
            var candidate = result.Candidates.First(c => c.Name == arm.Key.Candidate);
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"text\">{E(candidate.Name)}</td><td class=\"text\"><code>{E(candidate.IsLocal ? candidate.Path! : $"{candidate.Url} {candidate.Model}")}</code></td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{ReportFormatting.Setting(arm.Key.Temperature)}</td><td>{arm.DevelopmentSamples}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(Cost(result.Options.CostBasis, arm.Cost.PerProblem))}</td><td>{E(Cost(result.Options.CostBasis, arm.Cost.PerSample))}</td><td class=\"text\"><code>{E(arm.RunId)}</code></td></tr>\n");
        }
        html.Append("</tbody></table></div>\n");
    }

    /// <summary>A cost in <paramref name="basis"/> as text.</summary>
    public static string Cost(OptimizeCostBasis basis, double value) => basis switch
    {
        OptimizeCostBasis.Dollars => ReportFormatting.Dollars(value),
        OptimizeCostBasis.Flops => ReportFormatting.Scientific(value),
        _ => double.IsFinite(value) ? value.ToString("0.###", CultureInfo.InvariantCulture) + " s" : "n/a",
    };

    /// <summary>The basis' name in running text.</summary>
    public static string BasisName(OptimizeCostBasis basis) => basis switch
    {
        OptimizeCostBasis.Dollars => "US dollars",
        OptimizeCostBasis.Flops => "FLOPs",
        _ => "seconds",
    };

    private static string P(double share) => ReportFormatting.Percent(share);

    private static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static string E(string text) => HtmlText.Encode(text);
}
