using Slingshot.Evaluation.Optimization;

namespace Slingshot.Evaluation.Tests.Optimization;

public sealed class WilsonIntervalTests
{
    [Fact]
    public void Bounds_NoProblems_AreTheWholeRange()
    {
        Assert.Equal(0, WilsonInterval.Lower(1, 0, 0.95));
        Assert.Equal(1, WilsonInterval.Upper(0, 0, 0.95));
    }

    [Fact]
    public void Lower_PerfectScore_IsNOverNPlusZSquared_AndNeverOne()
    {
        // At share 1 the Wilson lower bound reduces to n / (n + z^2); z(0.95 one-sided) = 1.645 (to the approximation's 4.5e-4).
        var z = 1.6449;
        Assert.Equal(10 / (10 + z * z), WilsonInterval.Lower(1, 10, 0.95), 3);
        Assert.True(WilsonInterval.Lower(1, 100_000, 0.95) < 1);
    }

    [Fact]
    public void Bounds_ZeroScore_LowerIsZeroUpperIsZSquaredOverNPlusZSquared()
    {
        var z = 1.6449;
        Assert.Equal(0, WilsonInterval.Lower(0, 10, 0.95));
        Assert.Equal(z * z / (10 + z * z), WilsonInterval.Upper(0, 10, 0.95), 3);
    }

    [Fact]
    public void Bounds_ConfidenceOneHalf_CollapseToTheShare()
    {
        Assert.Equal(0.7, WilsonInterval.Lower(0.7, 20, 0.5), 12);
        Assert.Equal(0.7, WilsonInterval.Upper(0.7, 20, 0.5), 12);
    }

    [Fact]
    public void Bounds_MoreProblems_NarrowAroundTheShare()
    {
        var narrow = WilsonInterval.Upper(0.8, 1000, 0.95) - WilsonInterval.Lower(0.8, 1000, 0.95);
        var wide = WilsonInterval.Upper(0.8, 10, 0.95) - WilsonInterval.Lower(0.8, 10, 0.95);

        Assert.True(narrow < wide);
        Assert.InRange(WilsonInterval.Lower(0.8, 1000, 0.95), 0.77, 0.8);
        Assert.Equal(0, WilsonInterval.Lower(double.NaN, 10, 0.95));
    }
}
