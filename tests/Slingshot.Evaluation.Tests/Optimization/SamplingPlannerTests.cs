using Slingshot.Evaluation.Optimization;

namespace Slingshot.Evaluation.Tests.Optimization;

public sealed class SamplingPlannerTests
{
    private static readonly SamplingPlanner Planner = new(developmentProblems: 100, heldOutProblems: 100, maxSamples: 8, budgetSamples: null, target: 0.8, confidence: 0.95);

    private static ArmState Arm(string candidate, double temperature, int samples, double perSample, double coverage = 0.9, double coverageAtHalf = 0.8) =>
        new(new ArmKey(candidate, temperature), samples, new ArmCost(0, perSample), coverage, coverageAtHalf);

    [Fact]
    public void NextRound_NoWinnerYet_DoublesEverySamplingArmCheapestFirst_NeverAGreedyOne()
    {
        var raises = Planner.NextRound([Arm("big", 0.6, 1, 10), Arm("small", 0.6, 2, 1), Arm("small", 0, 1, 1)], bestCost: null, samplesUsed: 0);

        Assert.Equal([(new ArmKey("small", 0.6), 4, 200), (new ArmKey("big", 0.6), 2, 100)], raises.Select(r => (r.Key, r.Samples, r.NewSamples)));
    }

    [Fact]
    public void NextRound_DoubledArmWouldCostAsMuchAsTheBest_IsDropped()
    {
        var raises = Planner.NextRound([Arm("small", 0.6, 2, 1), Arm("mid", 0.6, 2, 2.5)], bestCost: 5, samplesUsed: 0);

        // small at 4 costs 4 < 5; mid at 4 costs 10.
        Assert.Equal([new ArmKey("small", 0.6)], raises.Select(r => r.Key));
    }

    [Fact]
    public void NextRound_CoverageThatCannotReachTheTarget_IsDropped()
    {
        // Coverage 0.2 after a doubling that gained nothing: even optimistically (upper bound 0.27 on 100 problems) below 0.8.
        var hopeless = Arm("small", 0.6, 4, 1, coverage: 0.2, coverageAtHalf: 0.2);
        var growing = Arm("other", 0.6, 4, 1, coverage: 0.6, coverageAtHalf: 0.5);

        Assert.InRange(Planner.OptimisticCoverage(hopeless), 0.2, 0.3);
        Assert.Equal([new ArmKey("other", 0.6)], Planner.NextRound([hopeless, growing], null, 0).Select(r => r.Key));
    }

    [Fact]
    public void NextRound_AtK_StopsTheArm()
    {
        Assert.Empty(Planner.NextRound([Arm("small", 0.6, 8, 1)], null, 0));
        var capped = new SamplingPlanner(100, 100, 6, null, 0.8, 0.95).NextRound([Arm("small", 0.6, 4, 1)], null, 0);
        Assert.Equal(6, capped.Single().Samples);
    }

    [Fact]
    public void NextRound_Budget_SkipsRaisesThatWouldLeaveTooLittleForTheHeldOutCheck()
    {
        // Raising small 2 -> 4 draws 200 and keeps 300 back for a held-out check at k=4: 1000 + 500 fits 1500, not 1499.
        var planner = new SamplingPlanner(100, 100, 8, 1500, 0.8, 0.95);
        var tight = new SamplingPlanner(100, 100, 8, 1499, 0.8, 0.95);

        Assert.Single(planner.NextRound([Arm("small", 0.6, 2, 1)], null, 1000));
        Assert.Empty(tight.NextRound([Arm("small", 0.6, 2, 1)], null, 1000));
    }

    [Fact]
    public void CheckBudget_BelowOneSamplePerArmAndProblem_IsOneLineError()
    {
        var planner = new SamplingPlanner(100, 50, 8, 249, 0.8, 0.95);

        var error = Assert.Throws<ArgumentException>(() => planner.CheckBudget(2));

        Assert.Contains("already take 250", error.Message);
        new SamplingPlanner(100, 50, 8, 250, 0.8, 0.95).CheckBudget(2);
    }
}
