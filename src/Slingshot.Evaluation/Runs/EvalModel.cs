using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Runs;

/// <summary>The model an evaluation draws from, and what the harness needs to know about it.</summary>
public sealed record EvalModel
{
    /// <summary>Draws n samples of a prompt (the local engine forks one decoded prompt; remote clients call in parallel).</summary>
    public required ISampleGenerator Generator { get; init; }

    /// <summary>Model id recorded with the run.</summary>
    public required string ModelId { get; init; }

    /// <summary>What produced the samples beyond <see cref="ModelId"/> (see <see cref="ModelFingerprint"/>); part of the run's identity.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>Parameter count for the 2 × parameters × tokens FLOPs estimate; null when unknown (remote).</summary>
    public long? Parameters { get; init; }

    /// <summary>Most samples one call may ask for (the engine's parallel sequences).</summary>
    public int MaxSamplesPerCall { get; init; } = 16;

    /// <summary>Calls in flight at once; the local engine batches them into one decode loop.</summary>
    public int MaxConcurrentCalls { get; init; } = 2;

    /// <summary>Price per million tokens (free for local models unless set).</summary>
    public ModelPrice Price { get; init; }
}
