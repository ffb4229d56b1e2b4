using Slingshot.Evaluation.Routing;

namespace Slingshot.Evaluation.Tests.Routing;

/// <summary>Golden cases computed by hand (see the comments) for the RouteLLM metrics.</summary>
public sealed class RoutingMetricsTests
{
    // small correct on B and D (50%), large on A, B and D (75%): the gap is 25 points, all of it in prompt A.
    private static readonly RoutingExample[] Examples =
    [
        new("A", "a", SmallCorrect: false, LargeCorrect: true),
        new("B", "b", SmallCorrect: true, LargeCorrect: true),
        new("C", "c", SmallCorrect: false, LargeCorrect: false),
        new("D", "d", SmallCorrect: true, LargeCorrect: true),
    ];

    [Fact]
    public void Curve_GoodRouter_MatchesHandComputedPoints()
    {
        // Order by score: A (0.9), C (0.7), B (0.5), D (0.1). Moving A to large gains 1 correct; the others change nothing.
        var curve = RoutingMetrics.Curve(Examples, [0.9, 0.5, 0.7, 0.1]);

        Assert.Equal([0, 0.25, 0.5, 0.75, 1], curve.Select(p => p.LargeShare));
        Assert.Equal([0.5, 0.75, 0.75, 0.75, 0.75], curve.Select(p => p.Accuracy));
        Assert.Equal([0, 1, 1, 1, 1], curve.Select(p => p.Pgr));
        // Trapezoids: 0.25 × (0 + 1) / 2 + 3 × 0.25 × 1 = 0.875.
        Assert.Equal(0.875, RoutingMetrics.Apgr(curve), 12);
        Assert.Equal(0.25, RoutingMetrics.Cpt(curve, 0.5));
        Assert.Equal(0.25, RoutingMetrics.Cpt(curve, 0.8));
    }

    [Fact]
    public void Curve_BackwardsRouter_RecoversTheGapOnlyAtTheEnd()
    {
        // Order: D, B, C, A: only the last move (A) gains, so PGR is 0, 0, 0, 0, 1 and APGR = 0.25 × 1 / 2.
        var curve = RoutingMetrics.Curve(Examples, [0.1, 0.7, 0.5, 0.9]);

        Assert.Equal([0, 0, 0, 0, 1], curve.Select(p => p.Pgr));
        Assert.Equal(0.125, RoutingMetrics.Apgr(curve), 12);
        Assert.Equal(1, RoutingMetrics.Cpt(curve, 0.5));
    }

    [Fact]
    public void RandomCurve_IsTheStraightLine_ApgrHalf()
    {
        var random = RoutingMetrics.RandomCurve(Examples);

        Assert.Equal([0.5, 0.5625, 0.625, 0.6875, 0.75], random.Select(p => p.Accuracy));
        Assert.Equal(0.5, RoutingMetrics.Apgr(random), 12);
        Assert.Equal(0.5, RoutingMetrics.Cpt(random, 0.5));
        Assert.Equal(1, RoutingMetrics.Cpt(random, 0.8)); // 0.75 on a grid of quarters is short of 0.8
    }

    [Fact]
    public void Curve_LargeTierWrongWhereSmallIsRight_PgrDropsBelowZero()
    {
        RoutingExample[] examples = [new("A", "a", true, false), new("B", "b", false, true), new("C", "c", false, true)];

        var curve = RoutingMetrics.Curve(examples, [0.9, 0.1, 0.2]);

        // small 1/3, large 2/3; sending A first loses it: accuracy 0, PGR (0 − 1/3) / (1/3) = −1.
        Assert.Equal(-1, curve[1].Pgr, 12);
        Assert.Equal(1, curve[^1].Pgr, 12);
    }

    [Fact]
    public void Curve_TiersEquallyAccurate_PgrIsNaN()
    {
        RoutingExample[] examples = [new("A", "a", true, false), new("B", "b", false, true)];

        Assert.All(RoutingMetrics.Curve(examples, [0.5, 0.5]), p => Assert.True(double.IsNaN(p.Pgr)));
    }

    [Fact]
    public void Evaluation_OperatingPoint_CountsScoresAtOrAboveThreshold()
    {
        // Threshold 0.7 sends A and C to large: A right, C wrong, B and D right on small: 3 of 4.
        var evaluation = RoutingEvaluation.Compute(Examples, [0.9, 0.5, 0.7, 0.1], threshold: 0.7);

        Assert.Equal(new CurvePoint(0.5, 0.75, 1), evaluation.OperatingPoint);
        Assert.Equal(new CurvePoint(0.5, 0.625, 0.5), evaluation.RandomAtOperatingShare);
        Assert.Equal(0.875, evaluation.Router.Apgr, 12);
        Assert.Equal(101, evaluation.Router.Curve.Count);
    }

    [Fact]
    public void Curve_ScoresOfWrongLength_Throws() =>
        Assert.Throws<ArgumentException>(() => RoutingMetrics.Curve(Examples, [0.1]));
}
