using System.Globalization;

namespace Slingshot.Evaluation.Cascades;

/// <summary>What calibration optimizes: the least cost that reaches an accuracy, or the most accuracy within a cost.</summary>
public sealed record CalibrationObjective
{
    private CalibrationObjective(double? targetAccuracy, double? budgetPerProblem)
    {
        TargetAccuracy = targetAccuracy;
        BudgetPerProblem = budgetPerProblem;
    }

    /// <summary>The accuracy to reach at least cost, in [0, 1]; null for a budget objective.</summary>
    public double? TargetAccuracy { get; }

    /// <summary>The most US dollars per problem to spend for the best accuracy; null for an accuracy objective.</summary>
    public double? BudgetPerProblem { get; }

    /// <summary>Reach <paramref name="accuracy"/> (in [0, 1]) at the least cost.</summary>
    public static CalibrationObjective ReachAccuracy(double accuracy) =>
        accuracy is >= 0 and <= 1
            ? new CalibrationObjective(accuracy, null)
            : throw new ArgumentOutOfRangeException(nameof(accuracy), $"The target accuracy must be in [0, 1] (got {accuracy}).");

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
        return TargetAccuracy is { } target ? result.Accuracy >= target - 1e-9 : result.CostPerProblem <= BudgetPerProblem!.Value + 1e-15;
    }

    /// <inheritdoc />
    public override string ToString() => TargetAccuracy is { } target
        ? string.Create(CultureInfo.InvariantCulture, $"accuracy at least {target:0.###} at least cost")
        : string.Create(CultureInfo.InvariantCulture, $"most accuracy at cost at most ${BudgetPerProblem:G4} per problem");
}
