using Slingshot.Evaluation.Reports;

namespace Slingshot.Evaluation.Tests.Reports;

public sealed class ParetoFrontTests
{
    [Fact]
    public void Of_DominatedPoint_IsLeftOutAndFrontSortedByCost()
    {
        var front = ParetoFront.Of(
        [
            new(Cost: 6.3e13, Accuracy: 0.62, Id: "large"),
            new(Cost: 3.6e13, Accuracy: 0.40, Id: "mid"),
            new(Cost: 1.9e13, Accuracy: 0.45, Id: "small"),
        ]);

        Assert.Equal(["small", "large"], front.Select(p => p.Id));
    }

    [Fact]
    public void Of_SameCostLowerAccuracy_IsDominated()
    {
        var front = ParetoFront.Of([new(1, 0.5, "a"), new(1, 0.4, "b"), new(2, 0.7, "c")]);

        Assert.Equal(["a", "c"], front.Select(p => p.Id));
    }

    [Fact]
    public void Of_CostlierWithoutGain_IsDominated()
    {
        var front = ParetoFront.Of([new(1, 0.5, "cheap"), new(5, 0.5, "dear")]);

        Assert.Equal(["cheap"], front.Select(p => p.Id));
    }

    [Fact]
    public void Of_ExactDuplicates_BothStay()
    {
        var front = ParetoFront.Of([new(2, 0.5, "b"), new(2, 0.5, "a")]);

        Assert.Equal(["a", "b"], front.Select(p => p.Id));
    }

    [Fact]
    public void Of_NonFiniteCostOrAccuracy_IsLeftOut()
    {
        var front = ParetoFront.Of(
        [
            new(double.PositiveInfinity, 0.9, "inf"), new(double.NaN, 0.9, "nan"), new(1, double.NaN, "no-accuracy"),
            new(3, 0.2, "ok"),
        ]);

        Assert.Equal(["ok"], front.Select(p => p.Id));
    }

    [Fact]
    public void Of_Empty_IsEmpty() => Assert.Empty(ParetoFront.Of([]));

    [Fact]
    public void Of_ZeroCost_IsCheapest()
    {
        var front = ParetoFront.Of([new(0, 0.3, "free"), new(0.01, 0.6, "paid"), new(0.02, 0.2, "worse")]);

        Assert.Equal(["free", "paid"], front.Select(p => p.Id));
    }
}
