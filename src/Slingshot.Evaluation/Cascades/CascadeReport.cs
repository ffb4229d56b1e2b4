using Slingshot.Strategies.Cascades;

namespace Slingshot.Evaluation.Cascades;

/// <summary>
/// A cascade's thresholds replayed on both splits: what the development split promised, what the held-out test
/// split realized, and each tier alone on the test split for comparison. Calibration fills <see cref="Calibration"/>.
/// </summary>
public sealed record CascadeReport
{
    /// <summary>The escalation test.</summary>
    public required string Escalation { get; init; }

    /// <summary>The tiers, cheapest first.</summary>
    public required IReadOnlyList<CascadeTierRun> Tiers { get; init; }

    /// <summary>Share of problems in the development split.</summary>
    public required double DevelopmentFraction { get; init; }

    /// <summary>Seed of the split.</summary>
    public required long SplitSeed { get; init; }

    /// <summary>Problems left out because a tier lacked graded samples of them.</summary>
    public required int SkippedProblems { get; init; }

    /// <summary>The thresholds, one per tier but the last.</summary>
    public required IReadOnlyList<double> Thresholds { get; init; }

    /// <summary>The thresholds on the development split (the promise).</summary>
    public required CascadeSimulationResult Development { get; init; }

    /// <summary>The thresholds on the held-out test split (what was realized).</summary>
    public required CascadeSimulationResult Test { get; init; }

    /// <summary>Each tier alone on the test split.</summary>
    public required IReadOnlyList<TierAlone> TiersAloneOnTest { get; init; }

    /// <summary>How the thresholds were chosen, when this report comes from calibration.</summary>
    public CascadeCalibration? Calibration { get; init; }

    /// <summary>Calibrates on <paramref name="dataset"/>'s development split for <paramref name="objective"/> and checks the choice on its test split.</summary>
    public static CascadeReport Calibrate(CascadeDataset dataset, CalibrationObjective objective, double developmentFraction, long splitSeed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var (development, test) = Split(dataset, developmentFraction, splitSeed);
        var calibration = CascadeCalibrator.Calibrate(development, objective);
        return Replay(dataset, calibration.Chosen.Thresholds, development, test, developmentFraction, splitSeed) with { Calibration = calibration };
    }

    /// <summary>Replays <paramref name="thresholds"/> on both of <paramref name="dataset"/>'s splits.</summary>
    public static CascadeReport Evaluate(CascadeDataset dataset, IReadOnlyList<double> thresholds, double developmentFraction, long splitSeed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (thresholds.Count != dataset.Tiers.Count - 1)
        {
            throw new ArgumentException($"{dataset.Tiers.Count} tiers need {dataset.Tiers.Count - 1} thresholds (got {thresholds.Count}).");
        }
        var (development, test) = Split(dataset, developmentFraction, splitSeed);
        return Replay(dataset, thresholds, development, test, developmentFraction, splitSeed);
    }

    /// <summary>The config file for these thresholds, naming each tier after its run and noting the promise.</summary>
    public CascadeConfig ToConfig(string? storePath)
    {
        return new CascadeConfig
        {
            Escalation = Escalation,
            Tiers = [.. Tiers.Select((tier, i) => new CascadeTierConfig
            {
                Name = tier.RunId,
                Samples = tier.Samples,
                Threshold = i < Thresholds.Count ? Thresholds[i] : null,
                Price = tier.Price,
            })],
            Calibration = new CascadeCalibrationNote
            {
                Store = storePath,
                Objective = Calibration?.Objective.ToString(),
                DevelopmentFraction = DevelopmentFraction,
                SplitSeed = SplitSeed,
                DevelopmentProblems = Development.Problems,
                PromisedAccuracy = Development.Accuracy,
                PromisedCostPerProblem = Development.CostPerProblem,
                CreatedAt = DateTimeOffset.UtcNow,
            },
        };
    }

    private static (IReadOnlyList<CascadeProblem> Development, IReadOnlyList<CascadeProblem> Test) Split(CascadeDataset dataset, double fraction, long seed)
    {
        var (development, test) = ProblemSplit.Split(dataset.Problems, fraction, seed);
        if (development.Count == 0 || test.Count == 0)
        {
            throw new ArgumentException($"Splitting {dataset.Problems.Count} problems at {fraction:0.##} left a split empty; give more problems or another fraction.");
        }
        return (development, test);
    }

    private static CascadeReport Replay(CascadeDataset dataset, IReadOnlyList<double> thresholds, IReadOnlyList<CascadeProblem> development,
        IReadOnlyList<CascadeProblem> test, double fraction, long seed) => new()
    {
        Escalation = dataset.Escalation,
        Tiers = dataset.Tiers,
        DevelopmentFraction = fraction,
        SplitSeed = seed,
        SkippedProblems = dataset.SkippedProblems,
        Thresholds = [.. thresholds],
        Development = CascadeSimulator.Simulate(development, thresholds),
        Test = CascadeSimulator.Simulate(test, thresholds),
        TiersAloneOnTest = [.. dataset.Tiers.Select((tier, i) => TierAlone.Of(tier, test, i))],
    };
}
