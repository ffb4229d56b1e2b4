namespace Slingshot.Evaluation.Reports;

/// <summary>How one run did on one problem; the optional per-problem table of a report.</summary>
/// <param name="RunId">Run id in the store (matches <see cref="Metrics.RunSummary.RunId"/>).</param>
/// <param name="ProblemId">Problem id within its task.</param>
/// <param name="Samples">Graded samples drawn for the problem.</param>
/// <param name="Correct">Samples graded correct.</param>
/// <param name="MajorityAnswer">The most frequent extracted answer; null for tasks without answers.</param>
/// <param name="MajorityCorrect">Whether that answer is correct.</param>
public sealed record ProblemResult(
    string RunId,
    string ProblemId,
    int Samples,
    int Correct,
    string? MajorityAnswer,
    bool MajorityCorrect);
