using System.Globalization;

namespace Slingshot.Gguf;

/// <summary>
/// The hyperparameters that fix a Llama-architecture model's tensor shapes, for generating random-weight
/// models of realistic sizes (tests, throughput benchmarks). Presets cover tiny test shapes and the Llama
/// shapes of popular small models; <see cref="Parse"/> also accepts custom specs.
/// </summary>
/// <param name="Name">Shape name, written as general.name.</param>
/// <param name="VocabSize">Number of tokens.</param>
/// <param name="EmbeddingLength">Width of the residual stream (n_embd).</param>
/// <param name="LayerCount">Number of transformer blocks.</param>
/// <param name="HeadCount">Attention (query) heads.</param>
/// <param name="KvHeadCount">Key/value heads (grouped-query attention when fewer than heads).</param>
/// <param name="FeedForwardLength">Hidden width of the gated feed-forward network.</param>
/// <param name="ContextLength">Training context length.</param>
/// <param name="TiedEmbeddings">Whether the output projection reuses token_embd (no separate output tensor),
/// as in SmolLM2, Qwen2.5 and Llama 3.2.</param>
public sealed record LlamaShape(
    string Name,
    int VocabSize,
    int EmbeddingLength,
    int LayerCount,
    int HeadCount,
    int KvHeadCount,
    int FeedForwardLength,
    int ContextLength,
    bool TiedEmbeddings = false)
{
    private static readonly LlamaShape[] s_presets =
    [
        new("tiny", 512, 64, 2, 4, 2, 128, 512),
        new("small", 4096, 256, 4, 8, 4, 768, 2048),
        new("llama-100m", 32000, 768, 8, 12, 12, 2048, 2048),
        new("smollm2-135m", 49152, 576, 30, 9, 3, 1536, 8192, TiedEmbeddings: true),
        new("smollm2-360m", 49152, 960, 32, 15, 5, 2560, 8192, TiedEmbeddings: true),
        new("qwen2.5-0.5b", 151936, 896, 24, 14, 2, 4864, 32768, TiedEmbeddings: true),
        new("qwen2.5-1.5b", 151936, 1536, 28, 12, 2, 8960, 32768, TiedEmbeddings: true),
        new("llama-3.2-1b", 128256, 2048, 16, 32, 8, 8192, 131072, TiedEmbeddings: true),
        new("llama-3.2-3b", 128256, 3072, 28, 24, 8, 8192, 131072, TiedEmbeddings: true),
        new("llama-3.1-8b", 128256, 4096, 32, 32, 8, 14336, 131072),
    ];

    private static readonly string[] s_keys = ["vocab", "embd", "layers", "heads", "kv", "ff", "ctx", "tied", "name"];

    /// <summary>Named shapes, in order from smallest to largest (names compare case-insensitively).</summary>
    public static IReadOnlyDictionary<string, LlamaShape> Presets { get; } =
        s_presets.ToDictionary(shape => shape.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Width of one attention head (n_embd / n_head); also the RoPE dimension.</summary>
    public int HeadDimension => EmbeddingLength / HeadCount;

    /// <summary>Width of the key and value projections (head dimension x KV heads).</summary>
    public int KvEmbeddingLength => HeadDimension * KvHeadCount;

    /// <summary>Number of weights the model holds (embeddings, attention, feed-forward, norms; no biases).</summary>
    public long ParameterCount
    {
        get
        {
            long embd = EmbeddingLength;
            long embeddings = (long)VocabSize * embd * (TiedEmbeddings ? 1 : 2);
            long perLayer = 2 * embd                              // attn_norm, ffn_norm
                + 2 * embd * embd                                 // attn_q, attn_output
                + 2 * embd * KvEmbeddingLength                    // attn_k, attn_v
                + 3 * embd * FeedForwardLength;                   // ffn_gate, ffn_up, ffn_down
            return embeddings + embd + LayerCount * perLayer;     // + output_norm
        }
    }

    /// <summary>
    /// Parses a preset name (<c>llama-100m</c>), a custom spec
    /// (<c>vocab=32000,embd=768,layers=8,heads=12,kv=12,ff=2048,ctx=2048</c>; kv defaults to heads, ctx to
    /// 2048, plus optional <c>tied=true</c> and <c>name=...</c>), or a preset followed by overrides
    /// (<c>llama-100m,layers=4</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown preset or key, bad number, or an inconsistent shape.</exception>
    public static LlamaShape Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string[] parts = spec.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || parts[0].Length == 0)
        {
            throw new ArgumentException($"Model shape is empty; use a preset ({PresetList}) or a spec like vocab=32000,embd=768,layers=8,heads=12,kv=12,ff=2048,ctx=2048.", nameof(spec));
        }

        LlamaShape? preset = null;
        int first = 0;
        if (!parts[0].Contains('='))
        {
            preset = Presets.GetValueOrDefault(parts[0])
                ?? throw new ArgumentException($"Unknown model shape '{parts[0]}'; presets: {PresetList}.", nameof(spec));
            first = 1;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in parts[first..])
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? part : part[..equals].Trim();
            if (equals < 0 || !s_keys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Unknown setting '{part}' in model shape '{spec}'; use key=value with keys {string.Join(", ", s_keys)}.", nameof(spec));
            }
            if (!values.TryAdd(key, part[(equals + 1)..].Trim()))
            {
                throw new ArgumentException($"Setting '{key}' appears twice in model shape '{spec}'.", nameof(spec));
            }
        }

        int Number(string key, int? fallback)
        {
            if (!values.TryGetValue(key, out string? text))
            {
                return fallback ?? throw new ArgumentException($"Model shape '{spec}' lacks {key}=; a custom spec needs vocab, embd, layers, heads and ff.", nameof(spec));
            }
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number > 0
                ? number
                : throw new ArgumentException($"{key}={text} in model shape '{spec}' is not a positive whole number.", nameof(spec));
        }

        int heads = Number("heads", preset?.HeadCount);
        bool tied = preset?.TiedEmbeddings ?? false;
        if (values.TryGetValue("tied", out string? tiedText) && !bool.TryParse(tiedText, out tied))
        {
            throw new ArgumentException($"tied={tiedText} in model shape '{spec}' is not true or false.", nameof(spec));
        }
        var shape = new LlamaShape(
            values.GetValueOrDefault("name") ?? (preset is null ? "custom" : values.Count == 0 ? preset.Name : $"{preset.Name}-custom"),
            Number("vocab", preset?.VocabSize),
            Number("embd", preset?.EmbeddingLength),
            Number("layers", preset?.LayerCount),
            heads,
            Number("kv", preset?.KvHeadCount ?? heads),
            Number("ff", preset?.FeedForwardLength),
            Number("ctx", preset?.ContextLength ?? 2048),
            tied);
        shape.ThrowIfInvalid(nameof(spec));
        return shape;
    }

    /// <summary>Throws a one-line <see cref="ArgumentException"/> when the shape cannot describe a working model.</summary>
    internal void ThrowIfInvalid(string parameterName)
    {
        string? problem =
            string.IsNullOrWhiteSpace(Name) ? "it has no name"
            : VocabSize <= 0 || EmbeddingLength <= 0 || LayerCount <= 0 || HeadCount <= 0 || KvHeadCount <= 0
                || FeedForwardLength <= 0 || ContextLength <= 0 ? "every size must be positive"
            : EmbeddingLength % HeadCount != 0 ? $"embd {EmbeddingLength} is not divisible by heads {HeadCount}"
            : HeadCount % KvHeadCount != 0 ? $"heads {HeadCount} is not divisible by kv {KvHeadCount}"
            // RoPE rotates pairs of dimensions, so a head must have an even width.
            : HeadDimension % 2 != 0 ? $"head dimension {HeadDimension} (embd / heads) is odd; RoPE needs it even"
            : null;
        if (problem is not null)
        {
            throw new ArgumentException($"Model shape '{Name}' is invalid: {problem}.", parameterName);
        }
    }

    private static string PresetList => string.Join(", ", s_presets.Select(shape => shape.Name));
}
