using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Tests.Metrics;

public sealed class CoverageFitterTests
{
    [Fact]
    public void Fit_ExactPowerLawPoints_RecoverParameters()
    {
        const double a = -1.6, b = -0.35;
        var points = new[] { 1, 2, 4, 8, 16, 32, 64 }.Select(k => (k, Math.Exp(a * Math.Pow(k, b))));
        var fit = CoverageFitter.Fit(points)!;
        Assert.Equal(a, fit.A, 9);
        Assert.Equal(b, fit.B, 9);
        Assert.Equal(1.0, fit.RSquared, 9);
        Assert.Equal(Math.Exp(a * Math.Pow(10, b)), fit.Predict(10), 9);
    }

    [Fact]
    public void SamplesFor_InvertsPredict()
    {
        var fit = new CoverageFit(-2.0, -0.5, 1);
        var k = fit.SamplesFor(0.8)!.Value;
        Assert.Equal(0.8, fit.Predict(k), 9);
        Assert.Null(fit.SamplesFor(1.0));
        Assert.Null(new CoverageFit(-2.0, 0.1, 1).SamplesFor(0.8)); // coverage falling with k never reaches a target
    }

    [Fact]
    public void Fit_TooFewUsablePoints_IsNull()
    {
        Assert.Null(CoverageFitter.Fit([(1, 0.0), (2, 1.0), (4, 0.5)]));
        Assert.Null(CoverageFitter.Fit([(4, 0.2), (4, 0.3)]));
    }
}
