using System.Globalization;
using Slingshot.Evaluation.Reports;
using Slingshot.Evaluation.Reports.Plotting;

namespace Slingshot.Evaluation.Routing;

/// <summary>The cost-quality curve of a router evaluation as SVG: accuracy against the share of large-tier calls.</summary>
public static class RoutingPlot
{
    /// <summary>Renders an &lt;svg&gt; element.</summary>
    public static string RenderSvg(RoutingEvaluation evaluation, string title)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var accuracies = evaluation.Router.Curve.Select(p => p.Accuracy).Append(evaluation.SmallAccuracy).Append(evaluation.LargeAccuracy).ToList();
        var plot = new SvgPlot(title, PlotAxis.Percent("Share of calls to the large model"), AccuracyAxis(accuracies.Min(), accuracies.Max()));
        plot.Add(new PlotSeries
        {
            Color = ReportPalette.ColorFor(0), Marker = MarkerShape.None, LegendLabel = $"router (APGR {evaluation.Router.Apgr:0.000})",
            Points = evaluation.Router.Curve.Select(p => new PlotPoint(p.LargeShare, p.Accuracy, Tooltip(p))).ToList(),
        });
        plot.Add(new PlotSeries
        {
            Color = "#6b7280", Marker = MarkerShape.None, Line = LineStyle.Dashed, LegendLabel = "random (APGR 0.500)",
            Points = [new PlotPoint(0, evaluation.SmallAccuracy), new PlotPoint(1, evaluation.LargeAccuracy)],
        });
        plot.Add(new PlotSeries
        {
            Color = ReportPalette.ColorFor(1), Line = LineStyle.None, MarkerRadius = 7, LegendLabel = "router at its threshold",
            Points = [new PlotPoint(evaluation.OperatingPoint.LargeShare, evaluation.OperatingPoint.Accuracy, Tooltip(evaluation.OperatingPoint))],
        });
        plot.Add(new PlotLabel(new PlotPoint(0, evaluation.SmallAccuracy), "always small"));
        plot.Add(new PlotLabel(new PlotPoint(1, evaluation.LargeAccuracy), "always large"));
        return plot.Render();
    }

    /// <summary>A standalone HTML page holding the plot.</summary>
    public static string RenderHtml(RoutingEvaluation evaluation, string title) =>
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{HtmlText.Encode(title)}</title></head>
        <body style="font-family: system-ui, sans-serif">
        {RenderSvg(evaluation, title)}
        </body></html>
        """;

    private static string Tooltip(CurvePoint p) => string.Create(CultureInfo.InvariantCulture,
        $"{p.LargeShare:P0} large calls: accuracy {p.Accuracy:P1}, PGR {p.Pgr:0.00}");

    // Accuracy between the two tiers fills only a band of 0..100%; the axis spans that band with a margin.
    private static PlotAxis AccuracyAxis(double min, double max)
    {
        var low = Math.Max(0, Math.Floor((min - 0.02) * 20) / 20);
        var high = Math.Min(1, Math.Ceiling((max + 0.02) * 20) / 20);
        if (high <= low)
        {
            (low, high) = (0, 1);
        }
        var step = high - low > 0.3 ? 0.1 : 0.05;
        var ticks = new List<AxisTick>();
        for (var v = low; v <= high + 1e-9; v += step)
        {
            ticks.Add(new AxisTick(v, string.Create(CultureInfo.InvariantCulture, $"{v * 100:0}%")));
        }
        return new PlotAxis(low, high, AxisScale.Linear, "Accuracy", ticks);
    }
}
