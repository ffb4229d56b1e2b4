namespace Slingshot.Evaluation.Metrics;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. (2021): with n samples of which c are correct,
/// pass@k = 1 - C(n-c, k) / C(n, k), the chance that k samples drawn without replacement contain a correct one.
/// </summary>
public static class PassAtK
{
    /// <summary>pass@k for one problem, in the stable product form 1 - Π_{i=n-c+1..n} (1 - k/i).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unless 0 ≤ c ≤ n and 1 ≤ k ≤ n.</exception>
    public static double Estimate(int n, int c, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(c, n);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        if (n - c < k)
        {
            return 1.0;
        }
        var allWrong = 1.0;
        for (var i = n - c + 1; i <= n; i++)
        {
            allWrong *= 1.0 - (double)k / i;
        }
        return 1.0 - allWrong;
    }

    /// <summary>The sample budgets a curve reports: 1, 2, 4, ... below n, then n itself.</summary>
    public static IReadOnlyList<int> Budgets(int n)
    {
        var budgets = new List<int>();
        for (var k = 1; k < n; k *= 2)
        {
            budgets.Add(k);
        }
        if (n >= 1)
        {
            budgets.Add(n);
        }
        return budgets;
    }
}
