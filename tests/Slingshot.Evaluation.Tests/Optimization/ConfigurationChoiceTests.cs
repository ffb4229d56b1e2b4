using Slingshot.Evaluation.Optimization;

namespace Slingshot.Evaluation.Tests.Optimization;

public sealed class ConfigurationChoiceTests
{
    private static ConfigurationResult Result(string candidate, ConfigurationKind kind, int k, double accuracy, double lower, double cost) => new()
    {
        Spec = new ConfigurationSpec { Kind = kind, Tiers = [new TierSpec(new ArmKey(candidate, 0.6), k)] },
        Problems = 50,
        Accuracy = accuracy,
        Lower = lower,
        Upper = Math.Min(1, accuracy + 0.1),
        CostPerProblem = cost,
        LatencyP50Ms = 0,
        LatencyP95Ms = 0,
    };

    [Fact]
    public void Choose_SeveralReach_TakesTheCheapest()
    {
        var results = new[]
        {
            Result("a", ConfigurationKind.Single, 1, 0.70, 0.60, 1),
            Result("a", ConfigurationKind.Vote, 4, 0.90, 0.82, 4),
            Result("b", ConfigurationKind.Single, 1, 0.95, 0.88, 10),
        };

        var choice = ConfigurationChoice.Choose(results, 0.8);

        Assert.Equal("a t0.6 vote@4", choice.Chosen!.Name);
        Assert.Null(choice.Closest);
    }

    [Fact]
    public void Choose_EqualCost_TakesTheMoreAccurate_ThenFewerSamples_ThenTheName()
    {
        var moreAccurate = ConfigurationChoice.Choose(
            [Result("a", ConfigurationKind.Vote, 2, 0.85, 0.81, 2), Result("b", ConfigurationKind.Vote, 2, 0.90, 0.82, 2)], 0.8);
        var fewerSamples = ConfigurationChoice.Choose(
            [Result("a", ConfigurationKind.Vote, 4, 0.90, 0.82, 2), Result("b", ConfigurationKind.Single, 1, 0.90, 0.82, 2)], 0.8);
        var byName = ConfigurationChoice.Choose(
            [Result("b", ConfigurationKind.Vote, 2, 0.90, 0.82, 2), Result("a", ConfigurationKind.Vote, 2, 0.90, 0.82, 2)], 0.8);

        Assert.Equal("b t0.6 vote@2", moreAccurate.Chosen!.Name);
        Assert.Equal("b t0.6 ×1", fewerSamples.Chosen!.Name);
        Assert.Equal("a t0.6 vote@2", byName.Chosen!.Name);
    }

    [Fact]
    public void Choose_LowerBoundJustBelowTarget_DoesNotReach_ButExactlyAtItDoes()
    {
        var below = ConfigurationChoice.Choose([Result("a", ConfigurationKind.Single, 1, 0.9, 0.8 - 1e-6, 1)], 0.8);
        var at = ConfigurationChoice.Choose([Result("a", ConfigurationKind.Single, 1, 0.9, 0.8, 1)], 0.8);

        Assert.False(below.TargetReached);
        Assert.Equal("a t0.6 ×1", below.Closest!.Name);
        Assert.True(at.TargetReached);
    }

    [Fact]
    public void Choose_NoneReaches_ShowsTheHighestLowerBound_CheapestAmongEquals()
    {
        var choice = ConfigurationChoice.Choose(
        [
            Result("a", ConfigurationKind.Single, 1, 0.5, 0.4, 1),
            Result("b", ConfigurationKind.Single, 1, 0.7, 0.6, 9),
            Result("c", ConfigurationKind.Vote, 2, 0.7, 0.6, 5),
        ], 0.95);

        Assert.Null(choice.Chosen);
        Assert.Equal("c t0.6 vote@2", choice.Closest!.Name);
    }

    [Fact]
    public void Choose_CheaperButNotServableOrOfUnknownCost_IsNotChosen()
    {
        var choice = ConfigurationChoice.Choose(
        [
            Result("a", ConfigurationKind.LogprobBest, 4, 0.95, 0.9, 1),
            Result("b", ConfigurationKind.Single, 1, 0.95, 0.9, double.NaN),
            Result("c", ConfigurationKind.Vote, 4, 0.9, 0.85, 3),
        ], 0.8);

        Assert.Equal("c t0.6 vote@4", choice.Chosen!.Name);
    }

    [Fact]
    public void Front_HandComputed_DropsDominatedAndUnknownCost()
    {
        var front = ConfigurationChoice.Front(
        [
            Result("a", ConfigurationKind.Single, 1, 0.5, 0.4, 1),
            Result("b", ConfigurationKind.Single, 1, 0.4, 0.3, 2),   // dominated by a
            Result("c", ConfigurationKind.Vote, 2, 0.8, 0.7, 3),
            Result("d", ConfigurationKind.Vote, 2, 0.8, 0.7, 4),     // dominated by c (same accuracy, dearer)
            Result("e", ConfigurationKind.Vote, 4, 0.9, 0.8, 8),
            Result("f", ConfigurationKind.Single, 1, 0.99, 0.9, double.NaN),
        ]);

        Assert.Equal(["a t0.6 ×1", "c t0.6 vote@2", "e t0.6 vote@4"], front.Select(r => r.Name));
    }
}
