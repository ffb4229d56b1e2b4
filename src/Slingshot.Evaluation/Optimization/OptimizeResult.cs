namespace Slingshot.Evaluation.Optimization;

/// <summary>The chosen configuration measured once on the held-out split.</summary>
/// <param name="Result">Its figures there; null when the check could not be made.</param>
/// <param name="Held">Whether its held-out accuracy reaches the target; null when not checked.</param>
/// <param name="Note">Why it was not checked, when it was not.</param>
public sealed record HeldOutCheck(ConfigurationResult? Result, bool? Held, string? Note);

/// <summary>An arm as the search left it.</summary>
/// <param name="Key">The arm.</param>
/// <param name="RunId">Its run in the store.</param>
/// <param name="DevelopmentSamples">Samples per development problem it drew.</param>
/// <param name="Cost">Its cost rates in the run's basis.</param>
public sealed record ArmSummary(ArmKey Key, string RunId, int DevelopmentSamples, ArmCost Cost);

/// <summary>Everything a search found: every configuration on the development split, the choice, and its held-out check.</summary>
public sealed record OptimizeResult
{
    /// <summary>Task name.</summary>
    public required string Task { get; init; }

    /// <summary>What was asked.</summary>
    public required OptimizeOptions Options { get; init; }

    /// <summary>The candidates.</summary>
    public required IReadOnlyList<OptimizeCandidate> Candidates { get; init; }

    /// <summary>Every arm.</summary>
    public required IReadOnlyList<ArmSummary> Arms { get; init; }

    /// <summary>Problems in the development split.</summary>
    public required int DevelopmentProblems { get; init; }

    /// <summary>Problems in the held-out split.</summary>
    public required int HeldOutProblems { get; init; }

    /// <summary>Every configuration measured on the development split in the last round.</summary>
    public required IReadOnlyList<ConfigurationResult> Configurations { get; init; }

    /// <summary>The accuracy/cost Pareto front of <see cref="Configurations"/>, cheapest first.</summary>
    public required IReadOnlyList<ConfigurationResult> Front { get; init; }

    /// <summary>The choice.</summary>
    public required ConfigurationChoice Choice { get; init; }

    /// <summary>The chosen configuration on the held-out split.</summary>
    public required HeldOutCheck HeldOut { get; init; }

    /// <summary>Rounds of drawing.</summary>
    public required int Rounds { get; init; }

    /// <summary>Samples the search used (development and held-out).</summary>
    public required long SamplesUsed { get; init; }

    /// <summary>Of those, drawn by this invocation.</summary>
    public required long SamplesDrawn { get; init; }

    /// <summary>
    /// Samples that measuring every arm at K on the development split would take (greedy arms once), plus the held-out
    /// check: what the search saves against.
    /// </summary>
    public required long ExhaustiveSamples { get; init; }
}
