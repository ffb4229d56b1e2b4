using System.Globalization;
using System.Text;

namespace Slingshot.Evaluation.Reports.Plotting;

/// <summary>
/// A small static SVG chart: two axes with gridlines and ticks (linear or log), line/marker series, point
/// labels and a legend below the plot. The output needs no script, font or network to display.
/// </summary>
internal sealed class SvgPlot
{
    private const double LeftMargin = 64;
    private const double RightMargin = 22;
    private const double TopMargin = 34;
    private const double BottomMargin = 50;
    private const double LegendRowHeight = 20;
    private const double CharWidth = 6.6; // average advance of the 12px sans-serif the legend uses
    private const string TextColor = "#1f2937";
    private const string MutedTextColor = "#4b5563";

    private readonly List<PlotSeries> _series = [];
    private readonly List<PlotLabel> _labels = [];
    private readonly List<LegendEntry> _extraLegend = [];

    /// <summary>Creates an empty plot.</summary>
    public SvgPlot(string title, PlotAxis x, PlotAxis y, double width = 640, double plotHeight = 330)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        Title = title;
        X = x;
        Y = y;
        Width = width;
        PlotHeight = plotHeight;
    }

    /// <summary>Title drawn above the plot.</summary>
    public string Title { get; }

    /// <summary>Horizontal axis.</summary>
    public PlotAxis X { get; }

    /// <summary>Vertical axis.</summary>
    public PlotAxis Y { get; }

    /// <summary>Total width in pixels.</summary>
    public double Width { get; }

    /// <summary>Height of the plotting area in pixels.</summary>
    public double PlotHeight { get; }

    private double PlotLeft => LeftMargin;
    private double PlotRight => Width - RightMargin;
    private double PlotTop => TopMargin;
    private double PlotBottom => TopMargin + PlotHeight;

    /// <summary>Adds a series; later series draw on top.</summary>
    public SvgPlot Add(PlotSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        _series.Add(series);
        return this;
    }

    /// <summary>Adds a text label beside a point.</summary>
    public SvgPlot Add(PlotLabel label)
    {
        ArgumentNullException.ThrowIfNull(label);
        _labels.Add(label);
        return this;
    }

    /// <summary>Adds a legend entry not tied to one series.</summary>
    public SvgPlot Add(LegendEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _extraLegend.Add(entry);
        return this;
    }

    /// <summary>Renders the plot as an &lt;svg&gt; element.</summary>
    public string Render()
    {
        var seriesLegend = _series.Where(s => s.LegendLabel is not null)
            .Select(s => new LegendEntry(s.LegendLabel!, s.Color, s.Line, s.Marker))
            .ToList();
        var legendRows = LayOutLegend(seriesLegend, 0);
        // Style keys ("dashed = maj@k") start a row of their own, apart from the series they explain.
        legendRows.AddRange(LayOutLegend(_extraLegend, legendRows.Count == 0 ? 0 : legendRows.Max(r => r.Row) + 1));
        var legendTop = PlotBottom + BottomMargin;
        var height = legendTop + (legendRows.Count == 0 ? 0 : legendRows.Max(r => r.Row) + 1) * LegendRowHeight + 8;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" viewBox=\"0 0 {N(Width)} {N(height)}\" width=\"{N(Width)}\" height=\"{N(height)}\" role=\"img\" aria-label=\"{E(Title)}\" font-family=\"'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{E(Title)}</title>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{N(Width)}\" height=\"{N(height)}\" fill=\"#ffffff\"/>\n");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{N(PlotLeft)}\" y=\"20\" font-size=\"14\" font-weight=\"600\" fill=\"{TextColor}\">{E(Title)}</text>\n");
        AppendGrid(svg);
        foreach (var series in _series)
        {
            AppendLine(svg, series);
        }
        foreach (var series in _series)
        {
            AppendMarkers(svg, series);
        }
        AppendLabels(svg);
        AppendLegend(svg, legendRows, legendTop);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private double XPixel(double value) => PlotLeft + X.Fraction(value) * (PlotRight - PlotLeft);

    private double YPixel(double value) => PlotBottom - Y.Fraction(value) * PlotHeight;

    private void AppendGrid(StringBuilder svg)
    {
        svg.Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{N(PlotLeft)}\" y=\"{N(PlotTop)}\" width=\"{N(PlotRight - PlotLeft)}\" height=\"{N(PlotHeight)}\" fill=\"#fcfcfd\" stroke=\"#d1d5db\"/>\n");
        svg.Append("<g font-size=\"11\" fill=\"" + MutedTextColor + "\">\n");
        foreach (var tick in X.Ticks)
        {
            var x = XPixel(tick.Value);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{N(x)}\" y1=\"{N(PlotTop)}\" x2=\"{N(x)}\" y2=\"{N(PlotBottom)}\" stroke=\"{GridColor(tick)}\"/>\n");
            if (tick.Label.Length > 0)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<line x1=\"{N(x)}\" y1=\"{N(PlotBottom)}\" x2=\"{N(x)}\" y2=\"{N(PlotBottom + 5)}\" stroke=\"#6b7280\"/>\n");
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{N(x)}\" y=\"{N(PlotBottom + 18)}\" text-anchor=\"middle\">{E(tick.Label)}</text>\n");
            }
        }
        foreach (var tick in Y.Ticks)
        {
            var y = YPixel(tick.Value);
            svg.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{N(PlotLeft)}\" y1=\"{N(y)}\" x2=\"{N(PlotRight)}\" y2=\"{N(y)}\" stroke=\"{GridColor(tick)}\"/>\n");
            if (tick.Label.Length > 0)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<line x1=\"{N(PlotLeft - 5)}\" y1=\"{N(y)}\" x2=\"{N(PlotLeft)}\" y2=\"{N(y)}\" stroke=\"#6b7280\"/>\n");
                svg.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{N(PlotLeft - 8)}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{E(tick.Label)}</text>\n");
            }
        }
        svg.Append("</g>\n");
        svg.Append(CultureInfo.InvariantCulture,
            $"<path d=\"M{N(PlotLeft)},{N(PlotTop)} V{N(PlotBottom)} H{N(PlotRight)}\" fill=\"none\" stroke=\"#6b7280\" stroke-width=\"1.2\"/>\n");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{N((PlotLeft + PlotRight) / 2)}\" y=\"{N(PlotBottom + 38)}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{TextColor}\">{E(X.Title)}</text>\n");
        var yCentre = (PlotTop + PlotBottom) / 2;
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"16\" y=\"{N(yCentre)}\" transform=\"rotate(-90 16 {N(yCentre)})\" text-anchor=\"middle\" font-size=\"12\" fill=\"{TextColor}\">{E(Y.Title)}</text>\n");
    }

    private static string GridColor(AxisTick tick) => tick.Label.Length > 0 ? "#e3e7ec" : "#f0f2f5";

    private void AppendLine(StringBuilder svg, PlotSeries series)
    {
        var points = Finite(series.Points).ToList();
        if (series.Line == LineStyle.None || points.Count < 2)
        {
            return;
        }
        var coordinates = string.Join(" ", points.Select(p => $"{N(XPixel(p.X))},{N(YPixel(p.Y))}"));
        svg.Append(CultureInfo.InvariantCulture,
            $"<polyline points=\"{coordinates}\" fill=\"none\" stroke=\"{series.Color}\" stroke-width=\"{N(series.LineWidth)}\"{DashAttributes(series.Line)} stroke-linejoin=\"round\" stroke-opacity=\"{N(series.LineOpacity)}\"/>\n");
    }

    private static string DashAttributes(LineStyle line) => line switch
    {
        LineStyle.Dashed => " stroke-dasharray=\"8 5\"",
        LineStyle.Dotted => " stroke-dasharray=\"2 4\"",
        _ => "",
    };

    private void AppendMarkers(StringBuilder svg, PlotSeries series)
    {
        if (series.Marker == MarkerShape.None)
        {
            return;
        }
        foreach (var point in Finite(series.Points))
        {
            var x = XPixel(point.X);
            var y = YPixel(point.Y);
            if (series.Ringed)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(series.MarkerRadius + 4)}\" fill=\"none\" stroke=\"#111827\" stroke-width=\"1.6\"/>\n");
            }
            var tooltip = point.Tooltip is null ? "" : $"<title>{E(point.Tooltip)}</title>";
            svg.Append(Marker(series.Marker, x, y, series.MarkerRadius, series.Color, tooltip));
            svg.Append('\n');
        }
    }

    private static string Marker(MarkerShape shape, double x, double y, double r, string color, string inner)
    {
        var style = $"fill=\"{color}\" stroke=\"#ffffff\" stroke-width=\"1\"";
        return shape switch
        {
            MarkerShape.Square =>
                $"<rect x=\"{N(x - r * 0.9)}\" y=\"{N(y - r * 0.9)}\" width=\"{N(r * 1.8)}\" height=\"{N(r * 1.8)}\" {style}>{inner}</rect>",
            MarkerShape.Diamond =>
                $"<polygon points=\"{N(x)},{N(y - r * 1.2)} {N(x + r * 1.2)},{N(y)} {N(x)},{N(y + r * 1.2)} {N(x - r * 1.2)},{N(y)}\" {style}>{inner}</polygon>",
            _ => $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(r)}\" {style}>{inner}</circle>",
        };
    }

    private void AppendLabels(StringBuilder svg)
    {
        // Labels go right of their point, or left when they would leave the plot; a label that would overlap
        // one already placed moves up or down a line at a time.
        var placed = new List<(double Left, double Top, double Right, double Bottom)>();
        foreach (var label in _labels)
        {
            if (!double.IsFinite(label.At.X) || !double.IsFinite(label.At.Y))
            {
                continue;
            }
            var x = XPixel(label.At.X);
            var y = YPixel(label.At.Y);
            var width = label.Text.Length * 6.1;
            var rightward = x + 8 + width <= PlotRight || x - 8 - width < PlotLeft;
            var left = rightward ? x + 8 : x - 8 - width;
            // Above the point, so lines leaving it sideways (a front's steps) do not run through the text.
            var baseline = y - 7;
            foreach (var shift in new[] { 0.0, -14, 14, -28, 28, -42, 42 })
            {
                var candidate = (left, baseline + shift - 11, left + width, baseline + shift + 2);
                if (!placed.Any(b => Overlaps(b, candidate)) && candidate.Item2 >= PlotTop && candidate.Item4 <= PlotBottom)
                {
                    baseline += shift;
                    break;
                }
            }
            placed.Add((left, baseline - 11, left + width, baseline + 2));
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{N(rightward ? left : left + width)}\" y=\"{N(baseline)}\" text-anchor=\"{(rightward ? "start" : "end")}\" font-size=\"11\" fill=\"{TextColor}\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{E(label.Text)}</text>\n");
        }
    }

    private static bool Overlaps((double L, double T, double R, double B) a, (double L, double T, double R, double B) b) =>
        a.L < b.R && b.L < a.R && a.T < b.B && b.T < a.B;

    private List<(LegendEntry Entry, int Row, double X)> LayOutLegend(List<LegendEntry> entries, int firstRow)
    {
        var laidOut = new List<(LegendEntry, int, double)>();
        var row = firstRow;
        var x = PlotLeft;
        foreach (var entry in entries)
        {
            var width = 34 + entry.Label.Length * CharWidth + 18;
            if (x + width > Width - 8 && x > PlotLeft)
            {
                row++;
                x = PlotLeft;
            }
            laidOut.Add((entry, row, x));
            x += width;
        }
        return laidOut;
    }

    private static void AppendLegend(StringBuilder svg, List<(LegendEntry Entry, int Row, double X)> rows, double top)
    {
        foreach (var (entry, row, x) in rows)
        {
            var y = top + row * LegendRowHeight + LegendRowHeight / 2;
            if (entry.Line != LineStyle.None)
            {
                svg.Append(CultureInfo.InvariantCulture,
                    $"<line x1=\"{N(x)}\" y1=\"{N(y)}\" x2=\"{N(x + 28)}\" y2=\"{N(y)}\" stroke=\"{entry.Color}\" stroke-width=\"3\"{DashAttributes(entry.Line)}/>\n");
            }
            if (entry.Marker != MarkerShape.None)
            {
                svg.Append(Marker(entry.Marker, x + 14, y, 4.5, entry.Color, ""));
                svg.Append('\n');
            }
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{N(x + 34)}\" y=\"{N(y + 4)}\" font-size=\"12\" fill=\"{TextColor}\">{E(entry.Label)}</text>\n");
        }
    }

    private static IEnumerable<PlotPoint> Finite(IEnumerable<PlotPoint> points) =>
        points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y));

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string E(string text) => HtmlText.Encode(text);
}
