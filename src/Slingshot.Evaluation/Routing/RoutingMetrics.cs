namespace Slingshot.Evaluation.Routing;

/// <summary>
/// The metrics of RouteLLM (Ong et al. 2024) over a labelled evaluation set and a router's scores (higher score = more
/// in need of the large tier).
/// </summary>
/// <remarks>
/// <para>
/// The router's curve: sort prompts by score, highest first (ties keep their input order); sending the top m to the
/// large tier gives the point (m / n, accuracy), where accuracy counts each prompt as correct when the tier it went to
/// answered it correctly. m runs from 0 (always small) to n (always large), so every threshold a router could use is
/// on the curve.
/// </para>
/// <para>
/// PGR(m) = (accuracy(m) − accuracy(always small)) / (accuracy(always large) − accuracy(always small)).
/// CPT(x) = the least large-call share whose PGR is at least x. APGR = the area under PGR against large-call share
/// over [0, 1] (trapezoids between consecutive m). A random router's expected accuracy at share p is the straight
/// line between the two tiers, so its PGR(p) = p, CPT(x) = x and APGR = 0.5. When the tiers are equally accurate
/// the gap is zero and PGR is undefined (NaN).
/// </para>
/// </remarks>
public static class RoutingMetrics
{
    /// <summary>Accuracy of sending every prompt to the small tier.</summary>
    public static double SmallAccuracy(IReadOnlyList<RoutingExample> examples) => Share(examples, e => e.SmallCorrect);

    /// <summary>Accuracy of sending every prompt to the large tier.</summary>
    public static double LargeAccuracy(IReadOnlyList<RoutingExample> examples) => Share(examples, e => e.LargeCorrect);

    /// <summary>The router's curve, n + 1 points from always-small to always-large.</summary>
    public static IReadOnlyList<CurvePoint> Curve(IReadOnlyList<RoutingExample> examples, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(scores);
        if (examples.Count != scores.Count)
        {
            throw new ArgumentException($"{scores.Count} scores for {examples.Count} examples.", nameof(scores));
        }
        var n = examples.Count;
        if (n == 0)
        {
            throw new ArgumentException("No examples.", nameof(examples));
        }
        var small = SmallAccuracy(examples);
        var large = LargeAccuracy(examples);
        var order = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ToList(); // stable: ties keep input order
        var correct = examples.Count(e => e.SmallCorrect);
        var points = new List<CurvePoint>(n + 1) { Point(0, n, correct, small, large) };
        for (var m = 1; m <= n; m++)
        {
            var moved = examples[order[m - 1]];
            correct += (moved.LargeCorrect ? 1 : 0) - (moved.SmallCorrect ? 1 : 0);
            points.Add(Point(m, n, correct, small, large));
        }
        return points;
    }

    /// <summary>
    /// The curve a random router follows in expectation, on the same grid as <see cref="Curve"/>: sending a random m of
    /// the n prompts to the large tier is expected to score small + (m / n)(large − small), so PGR = m / n.
    /// </summary>
    public static IReadOnlyList<CurvePoint> RandomCurve(IReadOnlyList<RoutingExample> examples)
    {
        var small = SmallAccuracy(examples);
        var large = LargeAccuracy(examples);
        var n = examples.Count;
        return Enumerable.Range(0, n + 1)
            .Select(m => m / (double)n)
            .Select(share => new CurvePoint(share, small + share * (large - small), Pgr(small + share * (large - small), small, large)))
            .ToList();
    }

    /// <summary>Call-performance threshold: the least large-call share whose PGR reaches <paramref name="fraction"/> (NaN if none does).</summary>
    public static double Cpt(IReadOnlyList<CurvePoint> curve, double fraction)
    {
        ArgumentNullException.ThrowIfNull(curve);
        // A small tolerance so that a PGR of exactly the target, computed with rounding, still counts.
        return curve.FirstOrDefault(p => p.Pgr >= fraction - 1e-9)?.LargeShare ?? double.NaN;
    }

    /// <summary>Average performance gap recovered: the area under PGR against large-call share (trapezoids).</summary>
    public static double Apgr(IReadOnlyList<CurvePoint> curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var area = 0.0;
        for (var i = 1; i < curve.Count; i++)
        {
            area += (curve[i].LargeShare - curve[i - 1].LargeShare) * (curve[i].Pgr + curve[i - 1].Pgr) / 2;
        }
        return area;
    }

    /// <summary>The point of the curve at <paramref name="largeShare"/> (the nearest m / n).</summary>
    public static CurvePoint At(IReadOnlyList<CurvePoint> curve, double largeShare)
    {
        ArgumentNullException.ThrowIfNull(curve);
        return curve.MinBy(p => Math.Abs(p.LargeShare - largeShare))!;
    }

    private static CurvePoint Point(int m, int n, int correct, double small, double large)
    {
        var accuracy = correct / (double)n;
        return new CurvePoint(m / (double)n, accuracy, Pgr(accuracy, small, large));
    }

    private static double Pgr(double accuracy, double small, double large) =>
        large == small ? double.NaN : (accuracy - small) / (large - small);

    private static double Share(IReadOnlyList<RoutingExample> examples, Func<RoutingExample, bool> correct)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return examples.Count == 0 ? double.NaN : examples.Count(correct) / (double)examples.Count;
    }
}
