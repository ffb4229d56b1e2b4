namespace Slingshot.Evaluation.Reports.Plotting;

/// <summary>How a series' line is stroked.</summary>
internal enum LineStyle
{
    /// <summary>No line: markers only.</summary>
    None,

    /// <summary>Solid line.</summary>
    Solid,

    /// <summary>Dashed line.</summary>
    Dashed,

    /// <summary>Dotted line.</summary>
    Dotted,
}

/// <summary>The mark drawn at each point of a series.</summary>
internal enum MarkerShape
{
    /// <summary>No marker: line only.</summary>
    None,

    /// <summary>Filled circle.</summary>
    Circle,

    /// <summary>Filled square.</summary>
    Square,

    /// <summary>Filled diamond.</summary>
    Diamond,
}

/// <summary>A point in data units.</summary>
/// <param name="X">Horizontal value.</param>
/// <param name="Y">Vertical value.</param>
/// <param name="Tooltip">Hover text of its marker, if any.</param>
internal readonly record struct PlotPoint(double X, double Y, string? Tooltip = null);

/// <summary>A line and/or markers in one color.</summary>
internal sealed record PlotSeries
{
    /// <summary>Stroke and fill color (#RRGGBB).</summary>
    public required string Color { get; init; }

    /// <summary>The points, in drawing order; points with non-finite coordinates are skipped.</summary>
    public required IReadOnlyList<PlotPoint> Points { get; init; }

    /// <summary>Legend text; null keeps the series out of the legend.</summary>
    public string? LegendLabel { get; init; }

    /// <summary>Line style.</summary>
    public LineStyle Line { get; init; } = LineStyle.Solid;

    /// <summary>Marker shape.</summary>
    public MarkerShape Marker { get; init; } = MarkerShape.Circle;

    /// <summary>Line width in pixels.</summary>
    public double LineWidth { get; init; } = 2.5;

    /// <summary>Marker radius in pixels.</summary>
    public double MarkerRadius { get; init; } = 4.5;

    /// <summary>Line opacity (markers stay opaque).</summary>
    public double LineOpacity { get; init; } = 1;

    /// <summary>Draw a dark ring around each marker (to highlight, say, the Pareto front).</summary>
    public bool Ringed { get; init; }
}

/// <summary>Text placed next to a point.</summary>
/// <param name="At">The point, in data units.</param>
/// <param name="Text">The label.</param>
internal sealed record PlotLabel(PlotPoint At, string Text);

/// <summary>A legend entry that stands for a style rather than a series (e.g. "dashed = maj@k").</summary>
/// <param name="Label">Text.</param>
/// <param name="Color">Swatch color.</param>
/// <param name="Line">Swatch line style.</param>
/// <param name="Marker">Swatch marker.</param>
internal sealed record LegendEntry(string Label, string Color, LineStyle Line, MarkerShape Marker);
