using Slingshot.Evaluation.Cascades;

namespace Slingshot.Evaluation.Tests.Cascades;

public sealed class CascadeSimulatorTests
{
    private static TierOutcome Small(bool correct, double? score) => new(correct ? "right" : "wrong", correct, score, 1, 10, 5);

    private static TierOutcome Large(bool correct) => new(correct ? "right" : "wrong", correct, null, 10, 100, 50);

    private static readonly IReadOnlyList<CascadeProblem> Problems =
    [
        new("a", [Small(true, 1.0), Large(true)]),
        new("b", [Small(false, 0.4), Large(true)]),
        new("c", [Small(true, 0.6), Large(false)]),
        new("d", [Small(false, null), Large(true)]),
    ];

    [Fact]
    public void Simulate_Threshold_KeepsScoresAtOrAboveItAndEscalatesTheRest()
    {
        var result = CascadeSimulator.Simulate(Problems, [0.6]);

        // a and c answered small (both right), b and d escalate (both right at the large tier).
        Assert.Equal(1.0, result.Accuracy);
        Assert.Equal([0.5, 0.5], result.AnsweredShare);
        // Every problem pays the small tier; the escalated two also pay the large one.
        Assert.Equal((4 * 1 + 2 * 10) / 4.0, result.CostPerProblem);
        Assert.Equal((4 * 10 + 2 * 100) / 4.0, result.TokensPerProblem);
        Assert.Equal((4 * 5 + 2 * 50) / 4.0, result.LatencyMsPerProblem);
    }

    [Fact]
    public void Simulate_MissingScore_EscalatesEvenAtTheLowestThreshold()
    {
        var result = CascadeSimulator.Simulate(Problems, [double.NegativeInfinity]);

        Assert.Equal([0.75, 0.25], result.AnsweredShare);
        Assert.Equal(0.75, result.Accuracy);
    }

    [Fact]
    public void Simulate_ThresholdAboveEveryScore_IsTheLargeTierPlusTheSmallTiersCost()
    {
        var result = CascadeSimulator.Simulate(Problems, [1.5]);

        Assert.Equal(0.75, result.Accuracy);
        Assert.Equal(11, result.CostPerProblem);
        Assert.Equal([0.0, 1.0], result.AnsweredShare);
    }

    [Fact]
    public void Simulate_WrongThresholdCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => CascadeSimulator.Simulate(Problems, [0.5, 0.5]));
    }
}
