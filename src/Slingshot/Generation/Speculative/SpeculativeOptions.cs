namespace Slingshot;

/// <summary>
/// Speculative decoding for an engine: a cheap drafter proposes several tokens and the model checks them all
/// in one batched pass. Greedy output is the model's own output token for token; sampled output follows the
/// model's distribution (rejection sampling). See docs/speculative-decoding.md.
/// </summary>
public sealed record SpeculativeOptions
{
    /// <summary>
    /// A smaller model sharing the target's vocabulary that drafts tokens, or null for draftless prompt lookup
    /// only. Loaded by the caller, who disposes it after the engine (the engine's draft context keeps it alive).
    /// </summary>
    public LlamaModel? DraftModel { get; init; }

    /// <summary>The engine disposes <see cref="DraftModel"/> when it is disposed (as it does its own model when it owns it).</summary>
    public bool OwnsDraftModel { get; init; }

    /// <summary>
    /// Draft by prompt lookup: continue the longest recent n-gram that also occurs earlier in the prompt or the
    /// output (pays off when the output copies from the prompt: extraction, editing, code). With a draft model
    /// too, lookup is tried first and the model drafts when it finds nothing.
    /// </summary>
    public bool PromptLookup { get; init; }

    /// <summary>Most tokens drafted per target pass. Default 6.</summary>
    public int DraftMax { get; init; } = 6;

    /// <summary>
    /// Adapt the draft length to the request's acceptance rate so far: the longest draft that stands whole with
    /// probability at least 10%, between 1 and <see cref="DraftMax"/>. false drafts <see cref="DraftMax"/> every time.
    /// </summary>
    public bool AdaptiveDraftLength { get; init; } = true;

    /// <summary>Longest n-gram prompt lookup matches (it tries shorter ones down to 1). Default 3.</summary>
    public int LookupMaxNgram { get; init; } = 3;

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (DraftModel is null && !PromptLookup)
        {
            throw new ArgumentException("Speculative decoding needs a draft model or prompt lookup.");
        }
        if (DraftMax is < 1 or > 64)
        {
            throw new ArgumentException($"Draft length must be between 1 and 64 (got {DraftMax}).");
        }
        if (LookupMaxNgram is < 1 or > 16)
        {
            throw new ArgumentException($"Prompt lookup n-gram must be between 1 and 16 (got {LookupMaxNgram}).");
        }
    }
}
