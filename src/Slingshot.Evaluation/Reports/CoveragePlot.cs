using Slingshot.Evaluation.Reports.Plotting;

namespace Slingshot.Evaluation.Reports;

/// <summary>Coverage (and maj@k, and the fitted curve) against the sample budget k for the runs of one task.</summary>
internal static class CoveragePlot
{
    private const string KeyColor = "#6b7280";
    private const int FitSteps = 64;

    /// <summary>Renders the plot as an &lt;svg&gt; element.</summary>
    public static string Render(TaskGroup group)
    {
        var maxK = group.Rows.SelectMany(r => r.Run.Curve).Select(p => (double)p.K).DefaultIfEmpty(1).Max();
        var x = PlotAxis.PowersOfTwo(maxK, "Samples per problem k (log₂ scale)");
        var y = PlotAxis.Percent("Share of problems solved");
        var plot = new SvgPlot($"Coverage vs. samples — {group.Title}", x, y);

        foreach (var row in group.Rows)
        {
            if (row.Run.Fit is { } fit)
            {
                // The fitted curve runs over the whole axis, so it also shows where more samples would lead.
                var points = Enumerable.Range(0, FitSteps + 1)
                    .Select(i => Math.Pow(x.Max, (double)i / FitSteps))
                    .Select(k => new PlotPoint(k, fit.Predict(k)))
                    .ToList();
                plot.Add(new PlotSeries
                {
                    Color = row.Color, Points = points, Line = LineStyle.Dotted, Marker = MarkerShape.None, LineWidth = 2,
                });
            }
        }
        foreach (var row in group.Rows)
        {
            var votes = row.Run.Curve.Where(p => p.MajorityVote is not null)
                .Select(p => new PlotPoint(p.K, p.MajorityVote!.Value, $"{row.Label}: maj@{p.K} = {ReportFormatting.Percent(p.MajorityVote)}"))
                .ToList();
            if (votes.Count > 0)
            {
                plot.Add(new PlotSeries
                {
                    Color = row.Color, Points = votes, Line = LineStyle.Dashed, Marker = MarkerShape.Square,
                    MarkerRadius = 3.8, LineWidth = 2,
                });
            }
        }
        foreach (var row in group.Rows)
        {
            var coverage = row.Run.Curve
                .Select(p => new PlotPoint(p.K, p.Coverage, $"{row.Label}: coverage@{p.K} = {ReportFormatting.Percent(p.Coverage)}"))
                .ToList();
            plot.Add(new PlotSeries { Color = row.Color, Points = coverage, LegendLabel = row.Label });
        }

        plot.Add(new LegendEntry("coverage (pass@k)", KeyColor, LineStyle.Solid, MarkerShape.Circle));
        if (group.Rows.Any(r => r.Run.Curve.Any(p => p.MajorityVote is not null)))
        {
            plot.Add(new LegendEntry("maj@k", KeyColor, LineStyle.Dashed, MarkerShape.Square));
        }
        if (group.Rows.Any(r => r.Run.Fit is not null))
        {
            plot.Add(new LegendEntry("fit exp(a·kᵇ)", KeyColor, LineStyle.Dotted, MarkerShape.None));
        }
        return plot.Render();
    }
}
