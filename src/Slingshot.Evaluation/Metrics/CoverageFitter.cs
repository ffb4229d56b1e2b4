namespace Slingshot.Evaluation.Metrics;

/// <summary>
/// Fits coverage(k) ≈ exp(a·k^b) (Brown et al., Large Language Monkeys) by least squares on
/// log(-log coverage) = log(-a) + b·log k, using the points with 0 &lt; coverage &lt; 1.
/// </summary>
public static class CoverageFitter
{
    /// <summary>The fit, or null with fewer than two usable points or distinct k values.</summary>
    public static CoverageFit? Fit(IEnumerable<(int K, double Coverage)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var usable = points.Where(p => p.K >= 1 && p.Coverage > 0 && p.Coverage < 1)
            .Select(p => (X: Math.Log(p.K), Y: Math.Log(-Math.Log(p.Coverage))))
            .ToList();
        if (usable.Count < 2)
        {
            return null;
        }
        var meanX = usable.Average(p => p.X);
        var meanY = usable.Average(p => p.Y);
        var sxx = usable.Sum(p => (p.X - meanX) * (p.X - meanX));
        if (sxx <= 0)
        {
            return null;
        }
        var b = usable.Sum(p => (p.X - meanX) * (p.Y - meanY)) / sxx;
        var intercept = meanY - b * meanX;
        var ssTotal = usable.Sum(p => (p.Y - meanY) * (p.Y - meanY));
        var ssResidual = usable.Sum(p => Math.Pow(p.Y - (intercept + b * p.X), 2));
        var rSquared = ssTotal <= 0 ? 1 : 1 - ssResidual / ssTotal;
        return new CoverageFit(-Math.Exp(intercept), b, rSquared);
    }
}
