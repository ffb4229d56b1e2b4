using System.Globalization;

namespace Slingshot.Evaluation.Optimization;

/// <summary>What one <c>slingshot optimize</c> asks for.</summary>
public sealed record OptimizeOptions
{
    /// <summary>The accuracy to reach, in (0, 1].</summary>
    public double Target { get; init; } = 0.8;

    /// <summary>How sure the choice must be that it reaches the target (one-sided lower Wilson bound), in (0, 1).</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Most samples per problem (K) any arm draws.</summary>
    public int MaxSamples { get; init; } = 16;

    /// <summary>Most samples in all (development and held-out); null for no cap.</summary>
    public long? BudgetSamples { get; init; }

    /// <summary>The cost measure.</summary>
    public OptimizeCostBasis CostBasis { get; init; } = OptimizeCostBasis.Dollars;

    /// <summary>What an hour of this machine costs, for local models in dollars (about a small cloud machine by default).</summary>
    public double LocalDollarsPerHour { get; init; } = 0.10;

    /// <summary>Sampling temperatures tried (0 = greedy, drawn once per problem).</summary>
    public IReadOnlyList<double> Temperatures { get; init; } = [0, 0.6];

    /// <summary>Share of the problems in the development split (the rest is held out for the check).</summary>
    public double DevelopmentFraction { get; init; } = 0.5;

    /// <summary>Seed of the split.</summary>
    public long SplitSeed { get; init; } = 1;

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!(Target > 0 && Target <= 1))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--target must be in (0, 1] (got {Target})."));
        }
        if (!(Confidence > 0 && Confidence < 1))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--confidence must be between 0 and 1 (got {Confidence})."));
        }
        if (MaxSamples is < 1 or > 1024)
        {
            throw new ArgumentException($"--max-k must be between 1 and 1024 (got {MaxSamples}).");
        }
        if (BudgetSamples is < 1)
        {
            throw new ArgumentException($"--budget-samples must be at least 1 (got {BudgetSamples}).");
        }
        if (!double.IsFinite(LocalDollarsPerHour) || LocalDollarsPerHour < 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--dollars-per-hour must be a finite number >= 0 (got {LocalDollarsPerHour})."));
        }
        if (Temperatures.Count == 0 || Temperatures.Any(t => !double.IsFinite(t) || t is < 0 or > 100) || Temperatures.Distinct().Count() != Temperatures.Count)
        {
            throw new ArgumentException($"--temperatures must be distinct numbers between 0 and 100 (got {string.Join(",", Temperatures)}).");
        }
        if (!(DevelopmentFraction > 0 && DevelopmentFraction < 1))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--dev-fraction must be between 0 and 1 (got {DevelopmentFraction})."));
        }
    }
}

/// <summary>Where a search stands, reported after every round.</summary>
/// <param name="Round">Rounds done (0 while drawing the first samples).</param>
/// <param name="SamplesUsed">Samples the search has used (development and held-out).</param>
/// <param name="SamplesDrawn">Of those, drawn by this invocation (the rest were in the store).</param>
/// <param name="BudgetSamples">The cap, if any.</param>
/// <param name="ConfigurationsMeasured">Configurations measured in the last round.</param>
/// <param name="ArmsAlive">Arms that may still draw more samples.</param>
/// <param name="CurrentBest">The configuration the search would choose now (or the closest), and whether it reaches the target.</param>
/// <param name="Phase">What is being done.</param>
public sealed record OptimizeProgress(int Round, long SamplesUsed, long SamplesDrawn, long? BudgetSamples, int ConfigurationsMeasured,
    int ArmsAlive, string? CurrentBest, string Phase);

/// <summary>
/// Draws samples for the search: makes sure an arm has at least a number of graded samples on every given problem,
/// committing them to the store (and so resuming where an earlier invocation stopped).
/// </summary>
public interface IArmSampler
{
    /// <summary>The run in the store that holds <paramref name="arm"/>'s samples.</summary>
    string RunId(ArmKey arm);

    /// <summary>The local model's parameter count (for FLOPs); null when unknown.</summary>
    long? Parameters(ArmKey arm);

    /// <summary>Draws and grades what <paramref name="arm"/> lacks below <paramref name="samples"/> on <paramref name="problemIds"/>; returns the samples drawn.</summary>
    Task<int> EnsureAsync(ArmKey arm, IReadOnlyList<string> problemIds, int samples, CancellationToken cancellationToken);
}
