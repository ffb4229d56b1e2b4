namespace Slingshot.Evaluation.Runs;

/// <summary>What one <c>slingshot eval</c> asks for.</summary>
public sealed record EvalOptions
{
    /// <summary>Run id; null derives one from the settings, so repeating a command resumes its run.</summary>
    public string? RunId { get; init; }
    /// <summary>Samples per problem (k). Raising it on an existing run draws only the missing samples.</summary>
    public int SamplesPerProblem { get; init; } = 1;
    /// <summary>Sampling temperature.</summary>
    public double Temperature { get; init; } = 0.6;
    /// <summary>Nucleus threshold.</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Token limit per sample; null uses the task's default.</summary>
    public int? MaxTokens { get; init; }
    /// <summary>Base seed.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>First N problems only (before sharding).</summary>
    public int? Limit { get; init; }
    /// <summary>Which shard of the problems to draw.</summary>
    public ShardSpec Shard { get; init; } = ShardSpec.All;
    /// <summary>Record token log-probabilities (needed for best-of-n by logprob).</summary>
    public bool Logprobs { get; init; } = true;
    /// <summary>Other settings worth recording with the run.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (SamplesPerProblem < 1)
        {
            throw new ArgumentException($"-k must be at least 1 (got {SamplesPerProblem}).");
        }
        if (!double.IsFinite(Temperature) || Temperature is < 0 or > 100)
        {
            throw new ArgumentException($"Temperature must be between 0 and 100 (got {Temperature}).");
        }
        if (!double.IsFinite(TopP) || TopP is <= 0 or > 1)
        {
            throw new ArgumentException($"Top-p must be in (0, 1] (got {TopP}).");
        }
        if (MaxTokens is < 1)
        {
            throw new ArgumentException($"Max tokens must be at least 1 (got {MaxTokens}).");
        }
        if (Limit is < 1)
        {
            throw new ArgumentException($"Limit must be at least 1 (got {Limit}).");
        }
        if (Seed is < 0 or > uint.MaxValue - 1)
        {
            throw new ArgumentException($"Seed must be between 0 and {uint.MaxValue - 1} (got {Seed}).");
        }
    }
}
