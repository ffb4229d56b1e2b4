using Slingshot.Strategies.Selection;

namespace Slingshot.Strategies.Tests.Selection;

public sealed class WeightedVoteTests
{
    [Fact]
    public void Tally_HeavierSingleVote_BeatsTwoLighterVotes()
    {
        // "a" weighs 0.9, "b" 0.4 + 0.4 = 0.8.
        var vote = WeightedVote.Tally(["a", "b", "b"], [0.9, 0.4, 0.4]);

        Assert.Equal("a", vote.Winner);
        Assert.Equal(1, vote.WinnerCount);
        Assert.Equal(0.9 / 1.7, vote.Share, 12);
        Assert.Equal(1.0 / 3, vote.Agreement, 12);
    }

    [Fact]
    public void Tally_EqualWeights_FirstSeenWins()
    {
        var vote = WeightedVote.Tally(["b", "a"], [0.5, 0.5]);

        Assert.Equal("b", vote.Winner);
    }

    [Fact]
    public void Tally_SumsEqualUpToRounding_CountAsTie()
    {
        // 0.1 + 0.2 is 0.30000000000000004 in binary floating point, a hair above 0.3.
        var vote = WeightedVote.Tally(["x", "y", "y"], [0.3, 0.1, 0.2]);

        Assert.Equal("x", vote.Winner);
    }

    [Fact]
    public void Tally_UnextractableSamples_AddNoWeight()
    {
        var vote = WeightedVote.Tally([null, "b", "c"], [5.0, 1.0, 2.0]);

        Assert.Equal("c", vote.Winner);
        Assert.Equal(2, vote.WinnerIndex);
        Assert.Equal(3.0, vote.TotalWeight);
        Assert.Equal(2, vote.Voters);
    }

    [Fact]
    public void Tally_NoVoters_NoWinner()
    {
        var vote = WeightedVote.Tally([null], [1.0]);

        Assert.Null(vote.Winner);
        Assert.Equal(0, vote.Share);
    }

    [Fact]
    public void Tally_NegativeWeight_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightedVote.Tally(["a"], [-0.5]));
    }

    [Fact]
    public void Tally_LengthsDiffer_Throws()
    {
        Assert.Throws<ArgumentException>(() => WeightedVote.Tally(["a", "b"], [1.0]));
    }

    [Fact]
    public void MeanProbability_OfMeanLogprob_IsGeometricMeanProbability()
    {
        Assert.Equal(0.5, WeightedVote.MeanProbability(Math.Log(0.5)), 12);
        Assert.Equal(0, WeightedVote.MeanProbability(null));
        Assert.Equal(0, WeightedVote.MeanProbability(double.NaN));
    }

    [Fact]
    public void ToSelection_Weighted_ConfidenceIsWeightShare()
    {
        var selection = WeightedVote.Tally(["a", "b", "b"], [0.9, 0.4, 0.4]).ToSelection();

        Assert.Equal(0, selection.Index);
        Assert.Equal(0.9 / 1.7, selection.Confidence!.Value, 12);
        Assert.Equal("'a' won 53% of the weight (1 of 3 votes)", selection.Reason);
    }
}
