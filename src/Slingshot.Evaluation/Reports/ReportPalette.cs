namespace Slingshot.Evaluation.Reports;

/// <summary>The series colors of the report plots; run i (in input order) is drawn in <see cref="ColorFor"/>(i).</summary>
public static class ReportPalette
{
    // Hues far apart and distinguishable for the common color-vision deficiencies (Okabe-Ito based), darkened
    // where needed so thin lines stay readable on white.
    private static readonly string[] Colors =
    [
        "#0072B2", // blue
        "#D55E00", // vermillion
        "#009E73", // bluish green
        "#CC79A7", // reddish purple
        "#E69F00", // orange
        "#56B4E9", // sky blue
        "#7A5C00", // dark ochre
        "#5E3C99", // violet
        "#8C2D04", // brown
        "#2F4F4F", // slate
    ];

    /// <summary>Number of distinct colors before they repeat.</summary>
    public static int Count => Colors.Length;

    /// <summary>The color (#RRGGBB) of the run at <paramref name="index"/>.</summary>
    public static string ColorFor(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Colors[index % Colors.Length];
    }
}
