using Slingshot.Generation.ProxyTuning;

namespace Slingshot.Tests.ProxyTuning;

public sealed class ProxyLogitArithmeticTests
{
    [Fact]
    public void Combine_ThreeDistributions_EqualsHandComputedLogSoftmaxArithmetic()
    {
        float[] large = [1f, 2f, 0.5f];
        float[] small = [0f, 1f, 3f];
        float[] tuned = [2f, -1f, 1f];
        var combined = new float[3];

        ProxyLogitArithmetic.Combine(large, small, tuned, 0.5f, combined);

        // By hand: log-softmax each, l + 0.5 (t - s), normalize.
        static double[] Lsm(float[] x)
        {
            var z = Math.Log(x.Sum(v => Math.Exp(v)));
            return x.Select(v => v - z).ToArray();
        }
        var (l, s, t) = (Lsm(large), Lsm(small), Lsm(tuned));
        var raw = Enumerable.Range(0, 3).Select(i => l[i] + 0.5 * (t[i] - s[i])).ToArray();
        var logZ = Math.Log(raw.Sum(Math.Exp));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(raw[i] - logZ, combined[i], 5);
        }
    }

    [Fact]
    public void Combine_AlphaZero_IsTheLargeBaseDistribution()
    {
        float[] large = [3f, 1f, -2f, 0f];
        var combined = new float[4];

        ProxyLogitArithmetic.Combine(large, [9f, 0f, 0f, 0f], [0f, 0f, 0f, 9f], 0f, combined);

        var logZ = Math.Log(large.Sum(v => Math.Exp(v)));
        Assert.Equal(large.Select(v => v - logZ), combined.Select(v => (double)v), new ToleranceComparer(1e-5));
    }

    [Fact]
    public void Combine_TokenRuledOutByBothSmallModels_StaysRuledOutInsteadOfNaN()
    {
        var combined = new float[2];

        ProxyLogitArithmetic.Combine([1f, 1f], [0f, float.NegativeInfinity], [0f, float.NegativeInfinity], 1f, combined);

        Assert.Equal(0f, combined[0], 5);
        Assert.True(float.IsNegativeInfinity(combined[1]));
    }

    [Fact]
    public void Combine_DifferentLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => ProxyLogitArithmetic.Combine([1f, 2f], [1f], [1f, 2f], 1f, new float[2]));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
