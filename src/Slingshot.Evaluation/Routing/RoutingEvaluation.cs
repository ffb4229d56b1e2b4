namespace Slingshot.Evaluation.Routing;

/// <summary>A router evaluated on held-out examples against always-small, always-large and a random router.</summary>
public sealed record RoutingEvaluation
{
    /// <summary>Held-out examples.</summary>
    public required int Examples { get; init; }

    /// <summary>Accuracy of always calling the small tier.</summary>
    public required double SmallAccuracy { get; init; }

    /// <summary>Accuracy of always calling the large tier.</summary>
    public required double LargeAccuracy { get; init; }

    /// <summary>The router's curve and metrics.</summary>
    public required RouterCurveSummary Router { get; init; }

    /// <summary>The random router's expected curve and metrics.</summary>
    public required RouterCurveSummary Random { get; init; }

    /// <summary>The router's threshold (from its file, or overridden).</summary>
    public required double Threshold { get; init; }

    /// <summary>What the router does at that threshold on these examples.</summary>
    public required CurvePoint OperatingPoint { get; init; }

    /// <summary>What a random router sending the same share to the large tier is expected to score.</summary>
    public required CurvePoint RandomAtOperatingShare { get; init; }

    /// <summary>Evaluates <paramref name="scores"/> (one per example) with <paramref name="threshold"/> as the operating point.</summary>
    public static RoutingEvaluation Compute(IReadOnlyList<RoutingExample> examples, IReadOnlyList<double> scores, double threshold)
    {
        var curve = RoutingMetrics.Curve(examples, scores);
        var random = RoutingMetrics.RandomCurve(examples);
        var small = RoutingMetrics.SmallAccuracy(examples);
        var large = RoutingMetrics.LargeAccuracy(examples);
        var toLarge = 0;
        var correct = 0;
        for (var i = 0; i < examples.Count; i++)
        {
            var goesLarge = scores[i] >= threshold;
            toLarge += goesLarge ? 1 : 0;
            correct += (goesLarge ? examples[i].LargeCorrect : examples[i].SmallCorrect) ? 1 : 0;
        }
        var share = toLarge / (double)examples.Count;
        var accuracy = correct / (double)examples.Count;
        var randomAccuracy = small + share * (large - small);
        return new RoutingEvaluation
        {
            Examples = examples.Count,
            SmallAccuracy = small,
            LargeAccuracy = large,
            Router = RouterCurveSummary.Of("router", curve),
            Random = RouterCurveSummary.Of("random", random),
            Threshold = threshold,
            OperatingPoint = new CurvePoint(share, accuracy, Gap(accuracy, small, large)),
            RandomAtOperatingShare = new CurvePoint(share, randomAccuracy, Gap(randomAccuracy, small, large)),
        };
    }

    private static double Gap(double accuracy, double small, double large) => large == small ? double.NaN : (accuracy - small) / (large - small);
}
