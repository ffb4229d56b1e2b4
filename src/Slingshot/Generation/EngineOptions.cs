namespace Slingshot;

/// <summary>The shape of an engine's llama context and its decode loop.</summary>
public sealed record EngineOptions
{
    /// <summary>Largest <see cref="ContextSize"/>: 16,777,216 tokens (llama.cpp rounds the size up to a multiple of 256).</summary>
    public const int MaxContextSize = 1 << 24;

    /// <summary>KV cells shared by all sequences (0 = the model's training context, at most 4096).</summary>
    public int ContextSize { get; init; }

    /// <summary>Sequences decoded together (parallel samples and requests). More wait in the queue.</summary>
    public int MaxSequences { get; init; } = 16;

    /// <summary>Most tokens one llama_decode call takes (prompt chunks plus one token per active sequence).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>
    /// One KV cache shared by all sequences (default): forked samples share their prompt's cells, which suits
    /// long prompts. false gives each sequence its own ContextSize / MaxSequences cells and copies a forked
    /// prompt into each: attention then reads only the sequence's own cells, faster for many samples of a
    /// short prompt.
    /// </summary>
    public bool SharedKvCache { get; init; } = true;

    /// <summary>
    /// Keep the KV cells of finished prompts so that a request beginning like one of them prefills only the rest:
    /// few-shot benchmarks repeat their exemplars, served applications a system prompt, chats their history. null
    /// (default): on for models with quantized weights, whose matrix products give the same bits at every batch size,
    /// so that output is the same with and without the cache (see docs/architecture.md for the attention kernels'
    /// conditions); off for F32, F16 and BF16 ones, where prefilling fewer tokens changes the last bits of the logits
    /// and so, after a few tokens, sampled text, which would make an evaluation's samples depend on what ran before
    /// them. true turns it on for those too. Always off for sliding-window, recurrent and hybrid models.
    /// </summary>
    public bool? PrefixCache { get; init; }

    /// <summary>
    /// Most tokens the prefix cache keeps. null: as many prompts as there are sequences (the most recently used ones);
    /// with a shared KV cache they share their common beginnings and live in the cells running requests leave free
    /// (evicted, least recently used first, when a request needs the cells); with a split one each takes a KV stream of
    /// its own of ContextSize / MaxSequences cells, allocated beside the sequences' own (a split cache copies only whole
    /// streams). A number bounds a shared cache by tokens instead, however many prompts they make. 0 keeps nothing.
    /// </summary>
    public int? PrefixCacheTokens { get; init; }

    /// <summary>Threads for decoding; default the cores .NET reports. More than free cores is very slow.</summary>
    public int? Threads { get; init; }

    /// <summary>LoRA adapters applied to every request of this engine, with their scales.</summary>
    public IReadOnlyList<(LoraAdapter Adapter, float Scale)> LoraAdapters { get; init; } = [];

    /// <summary>
    /// Speculative decoding for requests it can serve exactly (one sample, no grammar, no penalties, no
    /// log-probabilities); others use the batched decode loop as usual. null = off.
    /// </summary>
    public SpeculativeOptions? Speculative { get; init; }

    /// <summary>
    /// Let the decode loop skip llama.cpp's full candidate array where the result is the same (greedy argmax,
    /// top-k preselection). Off only to check that equality and to measure the difference.
    /// </summary>
    internal bool SamplingShortcuts { get; init; } = true;

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (ContextSize is < 0 or > MaxContextSize) throw new ArgumentException($"Context size must be between 0 and {MaxContextSize} (got {ContextSize}).");
        if (MaxSequences is < 1 or > 256) throw new ArgumentException($"Sequences must be between 1 and 256 (got {MaxSequences}).");
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be >= 1 (got {BatchSize}).");
        if (PrefixCacheTokens is < 0) throw new ArgumentException($"Prefix cache size must be >= 0 tokens (got {PrefixCacheTokens}).");
        if (Threads is < 1) throw new ArgumentException($"Threads must be >= 1 (got {Threads}).");
        Speculative?.Validate();
        foreach (var (_, scale) in LoraAdapters)
        {
            if (!float.IsFinite(scale)) throw new ArgumentException($"LoRA scale must be finite (got {scale}).");
        }
    }
}
