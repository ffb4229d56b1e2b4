using System.Globalization;

namespace Slingshot.Evaluation.Reports;

/// <summary>How numbers read in the human-facing reports (HTML and Markdown); culture-invariant.</summary>
internal static class ReportFormatting
{
    /// <summary>Shown where a value does not exist (no fit, no majority vote).</summary>
    public const string Missing = "—";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A share 0..1 as a percentage with one decimal.</summary>
    public static string Percent(double? share) => share is { } s && double.IsFinite(s)
        ? (s * 100).ToString("0.0", Invariant) + "%"
        : Missing;

    /// <summary>A difference of shares in percentage points, signed.</summary>
    public static string PercentagePoints(double? difference) => difference is { } d && double.IsFinite(d)
        ? (d * 100).ToString("+0.0;-0.0;0.0", Invariant) + " pp"
        : Missing;

    /// <summary>A fit parameter or R².</summary>
    public static string Decimal(double? value, int decimals = 3) => value is { } v && double.IsFinite(v)
        ? v.ToString("F" + decimals.ToString(Invariant), Invariant)
        : Missing;

    /// <summary>A predicted sample count: the whole number of samples needed (rounded up).</summary>
    public static string Samples(double? k)
    {
        if (k is not { } value || !double.IsFinite(value))
        {
            return Missing;
        }
        var whole = Math.Max(1, Math.Ceiling(value - 1e-9));
        return whole >= 1e7 ? whole.ToString("0.0e0", Invariant) : whole.ToString("#,0", Invariant);
    }

    /// <summary>A count-like quantity (tokens, seconds) with thousands separators.</summary>
    public static string Quantity(double value, int decimals = 0) => double.IsFinite(value)
        ? value.ToString("#,0." + new string('0', decimals), Invariant).TrimEnd('.')
        : Infinity(value);

    /// <summary>A large quantity (FLOPs) in scientific notation.</summary>
    public static string Scientific(double value) => !double.IsFinite(value)
        ? Infinity(value)
        : value == 0 ? "0" : value.ToString("0.00e0", Invariant);

    /// <summary>US dollars with three significant digits for small amounts.</summary>
    public static string Dollars(double value)
    {
        if (!double.IsFinite(value))
        {
            return Infinity(value);
        }
        if (value == 0)
        {
            return "$0";
        }
        if (Math.Abs(value) >= 100)
        {
            return "$" + value.ToString("#,0", Invariant);
        }
        if (Math.Abs(value) >= 0.01)
        {
            return "$" + value.ToString("0.00##", Invariant);
        }
        // Sub-cent prices: keep three significant digits instead of rounding them away.
        var decimals = Math.Min(12, 2 - (int)Math.Floor(Math.Log10(Math.Abs(value))));
        return "$" + Math.Round(value, decimals).ToString("0.############", Invariant);
    }

    /// <summary>A plain number for axis ticks: compact, no trailing zeros.</summary>
    public static string Compact(double value)
    {
        var magnitude = Math.Abs(value);
        if (magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-3))
        {
            return value.ToString("0.#e0", Invariant);
        }
        return value.ToString("#,0.####", Invariant);
    }

    /// <summary>A seed, limit or other integer setting.</summary>
    public static string Integer(long value) => value.ToString(Invariant);

    /// <summary>A sampling setting such as temperature.</summary>
    public static string Setting(double value) => value.ToString("0.###", Invariant);

    /// <summary>A timestamp in UTC, to the minute.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant);

    private static string Infinity(double value) => double.IsNaN(value) ? "n/a" : value > 0 ? "∞" : "−∞";
}
