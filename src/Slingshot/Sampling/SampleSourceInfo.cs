namespace Slingshot;

/// <summary>What an <see cref="ISampleSource"/> is and what it can do, so callers check capabilities instead of types.</summary>
public sealed record SampleSourceInfo
{
    /// <summary>The model's name as the source reports it.</summary>
    public required string ModelId { get; init; }

    /// <summary>Most samples one call can draw (the engine's parallel sequences); null = no limit of its own.</summary>
    public int? MaxSamplesPerCall { get; init; }

    /// <summary>Whether a raw prompt (<see cref="SampleRequest.Prompt"/>, no chat template) can be sampled.</summary>
    public bool SupportsRawPrompt { get; init; }

    /// <summary>Whether samples can carry token log-probabilities (<see cref="SampleRequest.TopLogprobs"/>).</summary>
    public bool SupportsLogprobs { get; init; }

    /// <summary>Whether <see cref="ISampleSource.StreamAsync"/> yields text token by token (false: one update per whole sample).</summary>
    public bool StreamsTokens { get; init; }

    /// <summary>The model's parameter count, for the 2 × parameters × tokens FLOPs estimate; null when unknown.</summary>
    public long? Parameters { get; init; }

    /// <summary>The price of its tokens, for the cost ledger; null when none is configured (costs count as 0).</summary>
    public TokenPrice? Price { get; init; }
}
