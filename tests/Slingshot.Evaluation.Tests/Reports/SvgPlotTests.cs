using System.Text.RegularExpressions;
using Slingshot.Evaluation.Reports.Plotting;

namespace Slingshot.Evaluation.Tests.Reports;

public sealed class SvgPlotTests
{
    [Fact]
    public void PowersOfTwo_UpTo64_TicksEveryPower()
    {
        var axis = PlotAxis.PowersOfTwo(64, "k");

        Assert.Equal(["1", "2", "4", "8", "16", "32", "64"], axis.Ticks.Select(t => t.Label));
        Assert.Equal(AxisScale.Log, axis.Scale);
        Assert.Equal(0.5, axis.Fraction(8), 12);
    }

    [Fact]
    public void PowersOfTwo_NotAPower_RoundsTheEndUp()
    {
        Assert.Equal(128, PlotAxis.PowersOfTwo(100, "k").Max);
        Assert.Equal(2, PlotAxis.PowersOfTwo(1, "k").Max); // one k still gets a usable axis
    }

    [Fact]
    public void PowersOfTwo_ManyPowers_LabelsEveryOther()
    {
        var axis = PlotAxis.PowersOfTwo(1 << 14, "k");

        Assert.Equal(15, axis.Ticks.Count);
        Assert.Equal("", axis.Ticks[1].Label);
        Assert.Equal("4", axis.Ticks[2].Label);
    }

    [Fact]
    public void LogRange_WithZero_PutsAZeroTickAtTheLowerEnd()
    {
        var axis = PlotAxis.LogRange(0.001, 0.05, hasZero: true, "cost", v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("0", axis.Ticks[0].Label);
        Assert.Equal(axis.Min, axis.Ticks[0].Value);
        Assert.Equal(0, axis.Fraction(0));
        Assert.True(axis.Min <= 0.0001);
        Assert.All(axis.Ticks.Skip(1), t => Assert.True(t.Value >= axis.Min * 3));
    }

    [Fact]
    public void LogRange_OneValue_StillSpansADecade()
    {
        var axis = PlotAxis.LogRange(5e12, 5e12, hasZero: false, "flops", v => v.ToString("0e0", System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(axis.Max / axis.Min >= 10 - 1e-9);
        Assert.Equal(0.5, axis.Fraction(5e12), 9);
        Assert.NotEmpty(axis.Ticks);
    }

    [Fact]
    public void Render_Series_DrawsLineMarkersAndLegendSkippingNonFinitePoints()
    {
        var plot = new SvgPlot("A <title>", PlotAxis.PowersOfTwo(4, "k"), PlotAxis.Percent("share"))
            .Add(new PlotSeries
            {
                Color = "#123456", LegendLabel = "series & co",
                Points = [new(1, 0.1), new(2, double.NaN), new(4, 0.3, "tip")],
            })
            .Add(new LegendEntry("dashed = maj@k", "#6b7280", LineStyle.Dashed, MarkerShape.Square));

        var svg = plot.Render();

        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg);
        Assert.Single(Regex.Matches(svg, "<polyline points=\"[^\"]+\""));
        Assert.Equal(2, Regex.Count(Regex.Match(svg, "<polyline points=\"([^\"]+)\"").Groups[1].Value, ","));
        Assert.Equal(2 + 1, Regex.Count(svg, "<circle[^>]*fill=\"#123456\"")); // two points and the legend swatch
        Assert.Contains("<title>tip</title>", svg);
        Assert.Contains(">series &amp; co</text>", svg);
        Assert.Contains(">dashed = maj@k</text>", svg);
        Assert.Contains("A &lt;title&gt;", svg);
        Assert.DoesNotContain("NaN", svg);
    }
}
