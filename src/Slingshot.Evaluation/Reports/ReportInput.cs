using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Reports;

/// <summary>What a report is rendered from: run summaries and, optionally, per-problem rows.</summary>
public sealed record ReportInput
{
    /// <summary>The runs, in the order they should appear (this order also assigns each run its color).</summary>
    public required IReadOnlyList<RunSummary> Runs { get; init; }

    /// <summary>Per-problem rows; empty to leave the per-problem table out.</summary>
    public IReadOnlyList<ProblemResult> ProblemResults { get; init; } = [];

    /// <summary>Report title.</summary>
    public string Title { get; init; } = "Slingshot evaluation report";

    /// <summary>When the report was generated; shown in its header.</summary>
    public DateTimeOffset GeneratedAt { get; init; } = DateTimeOffset.UtcNow;
}
