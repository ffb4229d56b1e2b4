using System.Numerics;
using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Tests.Metrics;

public sealed class PassAtKTests
{
    [Theory]
    [InlineData(5, 2, 1, 0.4)]              // c/n
    [InlineData(5, 2, 2, 0.7)]              // 1 - C(3,2)/C(5,2) = 1 - 3/10
    [InlineData(10, 3, 5, 1 - 21.0 / 252)]  // 1 - C(7,5)/C(10,5)
    [InlineData(10, 0, 5, 0.0)]
    [InlineData(10, 10, 1, 1.0)]
    [InlineData(4, 2, 3, 1.0)]              // n - c = 2 < k = 3: every 3 samples hold a correct one
    [InlineData(100, 1, 1, 0.01)]
    public void Estimate_HandComputedCases_Match(int n, int c, int k, double expected)
    {
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 12);
    }

    [Fact]
    public void Estimate_AllSmallCases_EqualTheBinomialDefinition()
    {
        for (var n = 1; n <= 24; n++)
        {
            for (var c = 0; c <= n; c++)
            {
                for (var k = 1; k <= n; k++)
                {
                    var exact = n - c < k ? 1.0 : 1.0 - (double)Binomial(n - c, k) / (double)Binomial(n, k);
                    Assert.Equal(exact, PassAtK.Estimate(n, c, k), 10);
                }
            }
        }
    }

    [Fact]
    public void Estimate_LargeN_IsStableWhereBinomialsOverflowDoubles()
    {
        var value = PassAtK.Estimate(2000, 3, 1000);
        var exact = 1.0 - (double)(Binomial(1997, 1000) * 1_000_000_000_000 / Binomial(2000, 1000)) / 1_000_000_000_000;
        Assert.InRange(value, 0, 1);
        Assert.Equal(exact, value, 9);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(3, 4, 1)]
    [InlineData(3, 1, 0)]
    [InlineData(3, 1, 4)]
    [InlineData(3, -1, 1)]
    public void Estimate_InvalidArguments_Throw(int n, int c, int k)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(n, c, k));
    }

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(2, new[] { 1, 2 })]
    [InlineData(5, new[] { 1, 2, 4, 5 })]
    [InlineData(64, new[] { 1, 2, 4, 8, 16, 32, 64 })]
    public void Budgets_PowersOfTwoThenN(int n, int[] expected)
    {
        Assert.Equal(expected, PassAtK.Budgets(n));
    }

    private static BigInteger Binomial(int n, int k)
    {
        BigInteger result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }
        return result;
    }
}
