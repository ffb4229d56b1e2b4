using System.Globalization;

namespace Slingshot.Evaluation.Cascades;

/// <summary>What calibration optimizes: the least cost that reaches an accuracy, or the most accuracy within a cost.</summary>
public sealed record CalibrationObjective
{
    private CalibrationObjective(double? targetAccuracy, double? budgetPerProblem, double? confidence = null)
    {
        TargetAccuracy = targetAccuracy;
        BudgetPerProblem = budgetPerProblem;
        Confidence = confidence;
    }

    /// <summary>The accuracy to reach at least cost, in [0, 1]; null for a budget objective.</summary>
    public double? TargetAccuracy { get; }

    /// <summary>The most US dollars per problem to spend for the best accuracy; null for an accuracy objective.</summary>
    public double? BudgetPerProblem { get; }

    /// <summary>
    /// With an accuracy target: how sure calibration must be that the accuracy holds beyond the development split,
    /// in (0, 1). A candidate then counts only when the lower Wilson bound of its development accuracy at this
    /// one-sided confidence reaches the target, which guards against picking the threshold that only just
    /// reaches it by luck. Null compares the development accuracy itself.
    /// </summary>
    public double? Confidence { get; }

    /// <summary>Reach <paramref name="accuracy"/> (in [0, 1]) at the least cost, optionally with <paramref name="confidence"/> (see <see cref="Confidence"/>).</summary>
    public static CalibrationObjective ReachAccuracy(double accuracy, double? confidence = null)
    {
        if (accuracy is not (>= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(accuracy), $"The target accuracy must be in [0, 1] (got {accuracy}).");
        }
        if (confidence is { } c && c is not (> 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), $"The confidence must be between 0 and 1 (got {c}).");
        }
        return new CalibrationObjective(accuracy, null, confidence);
    }

    /// <summary>The best accuracy at most <paramref name="costPerProblem"/> US dollars per problem.</summary>
    public static CalibrationObjective WithinBudget(double costPerProblem) =>
        costPerProblem >= 0 && double.IsFinite(costPerProblem)
            ? new CalibrationObjective(null, costPerProblem)
            : throw new ArgumentOutOfRangeException(nameof(costPerProblem), $"The budget must be a finite cost of at least 0 (got {costPerProblem}).");

    /// <summary>Whether <paramref name="result"/> meets the objective.</summary>
    public bool IsMetBy(CascadeSimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        // A hair of tolerance: accuracies are sums of 1/n that may not add up exactly to a typed-in target.
        if (TargetAccuracy is not { } target)
        {
            return result.CostPerProblem <= BudgetPerProblem!.Value + 1e-15;
        }
        var accuracy = Confidence is { } confidence ? WilsonLowerBound(result.Accuracy, result.Problems, confidence) : result.Accuracy;
        return accuracy >= target - 1e-9;
    }

    /// <summary>The lower end of the Wilson score interval for <paramref name="share"/> of <paramref name="n"/>, one-sided at <paramref name="confidence"/>.</summary>
    public static double WilsonLowerBound(double share, int n, double confidence)
    {
        if (n <= 0)
        {
            return 0;
        }
        var z = NormalQuantile(confidence);
        var z2 = z * z;
        var centre = share + z2 / (2 * n);
        var spread = z * Math.Sqrt(share * (1 - share) / n + z2 / (4.0 * n * n));
        return Math.Max(0, (centre - spread) / (1 + z2 / n));
    }

    /// <summary>The standard normal quantile for p in (0.5, 1): Abramowitz and Stegun 26.2.23, error below 4.5e-4.</summary>
    private static double NormalQuantile(double p)
    {
        if (p <= 0.5)
        {
            return 0;
        }
        var t = Math.Sqrt(-2 * Math.Log(1 - p));
        return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
    }

    /// <inheritdoc />
    public override string ToString() => TargetAccuracy is { } target
        ? string.Create(CultureInfo.InvariantCulture, $"accuracy at least {target:0.###}{(Confidence is { } c ? $" with {c:0.##} confidence" : "")} at least cost")
        : string.Create(CultureInfo.InvariantCulture, $"most accuracy at cost at most ${BudgetPerProblem:G4} per problem");
}
