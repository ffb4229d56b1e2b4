namespace Slingshot.Evaluation.Cascades;

/// <summary>The thresholds calibration chose on the development split, and the trade-offs it saw there.</summary>
public sealed record CascadeCalibration
{
    /// <summary>What was optimized.</summary>
    public required CalibrationObjective Objective { get; init; }

    /// <summary>The chosen thresholds' replay on the development split: what they promise.</summary>
    public required CascadeSimulationResult Chosen { get; init; }

    /// <summary>Whether any candidate met the objective; when none did the chosen one comes closest (most accuracy, or least cost).</summary>
    public required bool ObjectiveMet { get; init; }

    /// <summary>Threshold combinations replayed.</summary>
    public required int CandidatesTried { get; init; }

    /// <summary>The candidates no other beats on both accuracy and cost, cheapest first.</summary>
    public required IReadOnlyList<CascadeSimulationResult> Frontier { get; init; }
}
