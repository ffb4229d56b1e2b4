namespace Slingshot.Evaluation.Reports.Plotting;

/// <summary>How values map onto an axis.</summary>
internal enum AxisScale
{
    /// <summary>Evenly spaced values.</summary>
    Linear,

    /// <summary>Evenly spaced ratios; values at or below zero sit on the axis's lower end.</summary>
    Log,
}

/// <summary>A tick mark; an empty label makes a minor tick (gridline only).</summary>
/// <param name="Value">Where, in data units.</param>
/// <param name="Label">What it reads.</param>
internal sealed record AxisTick(double Value, string Label);

/// <summary>One axis of a plot: its range, scale, ticks and title.</summary>
/// <param name="Min">Lower end, in data units (positive for a log axis).</param>
/// <param name="Max">Upper end, greater than <paramref name="Min"/>.</param>
/// <param name="Scale">Linear or log.</param>
/// <param name="Title">Axis title.</param>
/// <param name="Ticks">Tick marks within the range.</param>
internal sealed record PlotAxis(double Min, double Max, AxisScale Scale, string Title, IReadOnlyList<AxisTick> Ticks)
{
    /// <summary>Position of <paramref name="value"/> along the axis: 0 at <see cref="Min"/>, 1 at <see cref="Max"/>, clamped.</summary>
    public double Fraction(double value)
    {
        double fraction;
        if (Scale == AxisScale.Log)
        {
            fraction = value <= 0 ? 0 : (Math.Log(value) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min));
        }
        else
        {
            fraction = (value - Min) / (Max - Min);
        }
        return double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) : 0;
    }

    /// <summary>A 0..100% axis for shares 0..1, gridlines every 10% and labels every 20%.</summary>
    public static PlotAxis Percent(string title)
    {
        var ticks = Enumerable.Range(0, 11)
            .Select(i => new AxisTick(i / 10.0, i % 2 == 0 ? $"{i * 10}%" : ""))
            .ToList();
        return new PlotAxis(0, 1, AxisScale.Linear, title, ticks);
    }

    /// <summary>A log2 axis from 1 to the power of two at or above <paramref name="maxValue"/>, a tick at each power.</summary>
    public static PlotAxis PowersOfTwo(double maxValue, string title)
    {
        var top = 2.0;
        while (top < maxValue && top < 1 << 30)
        {
            top *= 2;
        }
        var ticks = new List<AxisTick>();
        var exponent = 0;
        var total = (int)Math.Round(Math.Log2(top)) + 1;
        for (var k = 1.0; k <= top; k *= 2, exponent++)
        {
            // Past a dozen ticks the labels would touch: label every other power.
            var labelled = total <= 12 || exponent % 2 == 0 || k == top;
            ticks.Add(new AxisTick(k, labelled ? ReportFormatting.Compact(k) : ""));
        }
        return new PlotAxis(1, top, AxisScale.Log, title, ticks);
    }

    /// <summary>
    /// A log10 axis around the positive values <paramref name="min"/>..<paramref name="max"/> with some margin,
    /// ticks at decades (and at 2 and 5 times them when the range is narrow). With <paramref name="hasZero"/>,
    /// the lower end is pushed a decade further down and labelled 0, for values that cost nothing.
    /// </summary>
    public static PlotAxis LogRange(double min, double max, bool hasZero, string title, Func<double, string> format)
    {
        if (!(min > 0) || !double.IsFinite(min) || !(max >= min) || !double.IsFinite(max))
        {
            min = max = 1;
        }
        var low = min / 1.8;
        var high = max * 1.8;
        if (high / low < 10)
        {
            // Too narrow for a readable log axis: widen symmetrically to one decade.
            var centre = Math.Sqrt(low * high);
            low = centre / Math.Sqrt(10);
            high = centre * Math.Sqrt(10);
        }
        if (hasZero)
        {
            low = Math.Min(low, min / 10);
        }
        var decades = Math.Log10(high / low);
        var multiples = decades < 2.5 ? new[] { 1.0, 2.0, 5.0 } : [1.0];
        var step = decades > 8 ? 2 : 1;
        var ticks = new List<AxisTick>();
        for (var exponent = (int)Math.Floor(Math.Log10(low)); exponent <= (int)Math.Ceiling(Math.Log10(high)); exponent++)
        {
            foreach (var multiple in multiples)
            {
                var value = multiple * Math.Pow(10, exponent);
                // Leave room beside the zero tick so the two labels do not run together.
                var clearOfZero = !hasZero || value >= low * 3;
                if (value >= low && value <= high && clearOfZero)
                {
                    var labelled = multiple == 1 ? exponent % step == 0 : true;
                    ticks.Add(new AxisTick(value, labelled ? format(value) : ""));
                }
            }
        }
        if (hasZero)
        {
            ticks.Insert(0, new AxisTick(low, "0"));
        }
        return new PlotAxis(low, high, AxisScale.Log, title, ticks);
    }
}
