namespace Slingshot.Evaluation.Store;

/// <summary>A drawn sample as the store keeps it: written before it is graded, graded fields filled in after.</summary>
public sealed record StoredSample
{
    /// <summary>Problem id.</summary>
    public required string ProblemId { get; init; }
    /// <summary>Index within the problem (0-based; sample i always has the seed derived for i).</summary>
    public required int Index { get; init; }
    /// <summary>The seed its sampler used.</summary>
    public long? Seed { get; init; }
    /// <summary>Generated text.</summary>
    public required string Text { get; init; }
    /// <summary>Generated token ids, when the source reports them.</summary>
    public IReadOnlyList<int>? Tokens { get; init; }
    /// <summary>
    /// Completion tokens of this sample, when the source could attribute them to it (null for n choices of one remote
    /// request without log-probabilities; the draw's <see cref="StoredDraw.CompletionTokens"/> has the total).
    /// </summary>
    public int? CompletionTokens { get; init; }
    /// <summary>Mean token log-probability, when recorded.</summary>
    public double? MeanLogprob { get; init; }
    /// <summary>"stop", "length" or "cancelled".</summary>
    public string? FinishReason { get; init; }
    /// <summary>Wall time of the call that drew it, in milliseconds.</summary>
    public double LatencyMs { get; init; }
    /// <summary>Canonical extracted answer (after grading).</summary>
    public string? Answer { get; init; }
    /// <summary>Verdict (null until graded).</summary>
    public bool? Correct { get; init; }
    /// <summary>Why.</summary>
    public string? Reason { get; init; }
    /// <summary>Task version that graded it.</summary>
    public string? GradedWith { get; init; }
}

/// <summary>One source call: the prompt tokens it processed (once, however many samples) and its price.</summary>
/// <param name="ProblemId">Problem id.</param>
/// <param name="FirstSample">Index of its first sample.</param>
/// <param name="SampleCount">Samples it drew.</param>
/// <param name="PromptTokens">Prompt tokens processed.</param>
/// <param name="CompletionTokens">Completion tokens generated.</param>
/// <param name="LatencyMs">Wall time.</param>
/// <param name="CostUsd">Price from the model's price table.</param>
public sealed record StoredDraw(string ProblemId, int FirstSample, int SampleCount, int PromptTokens, int CompletionTokens, double LatencyMs, double CostUsd);

/// <summary>A run as stored.</summary>
/// <param name="RunId">Run id.</param>
/// <param name="SettingsJson">Its settings (JSON of <see cref="Metrics.RunSettings"/>).</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="Parameters">Model parameter count (for FLOPs), when known.</param>
/// <param name="WallSeconds">Drawing wall time over all sessions.</param>
public sealed record StoredRun(string RunId, string SettingsJson, DateTimeOffset CreatedAt, long? Parameters, double WallSeconds);
