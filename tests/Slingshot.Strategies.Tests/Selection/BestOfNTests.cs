using Slingshot.Strategies.Tests.Middleware;
using Slingshot.Strategies.Selection;

namespace Slingshot.Strategies.Tests.Selection;

public sealed class BestOfNTests
{
    [Fact]
    public void Select_HighestMeanLogprob_Wins()
    {
        var selection = BestOfN.Select([-1.2, -0.3, -0.7]);

        Assert.Equal(1, selection.Index);
        Assert.Equal(Math.Exp(-0.3), selection.Confidence!.Value, 12);
    }

    [Fact]
    public void Select_Tie_LowestIndexWins()
    {
        Assert.Equal(1, BestOfN.Select([-1.2, -0.3, -0.3]).Index);
    }

    [Fact]
    public void Select_SamplesWithoutLogprobs_NeverWin()
    {
        Assert.Equal(1, BestOfN.Select([null, -5.0, null, double.NaN]).Index);
    }

    [Fact]
    public void Select_NoSampleHasLogprobs_FirstWins()
    {
        var selection = BestOfN.Select(new double?[] { null, null });

        Assert.Equal(0, selection.Index);
        Assert.Null(selection.Confidence);
    }

    [Fact]
    public void Select_NoSamples_NoSelection()
    {
        Assert.Null(BestOfN.Select(Array.Empty<double?>()).Index);
    }

    [Fact]
    public void Select_Candidates_UsesTheirMeanLogprobs()
    {
        Sample[] candidates =
        [
            FakeSampleSource.Sample(0, "a", -0.9),
            FakeSampleSource.Sample(1, "b", -0.2),
            FakeSampleSource.Sample(2, "c"),
        ];

        Assert.Equal(1, BestOfN.Select(candidates).Index);
    }
}
