using System.Text.Json.Serialization;

namespace Slingshot.Strategies.Routing;

/// <summary>
/// Which features a router computes from a prompt. Stored in the router file so the features at serving time are
/// exactly the ones the weights were trained on.
/// </summary>
public sealed record PromptFeatureOptions
{
    /// <summary>Hashed word n-grams go into 2^<see cref="HashBits"/> buckets (default 14: 16384 buckets); 0 turns them off.</summary>
    public int HashBits { get; init; } = 14;

    /// <summary>Longest word n-gram hashed (1 = words only, 2 = words and word pairs).</summary>
    public int WordNGrams { get; init; } = 2;

    /// <summary>Length and task-shape features (characters, words, lines, digits, symbols, answer options, code).</summary>
    public bool Shape { get; init; } = true;

    /// <summary>GGUF model whose pooled embedding of the prompt is appended to the features; null for text features only.</summary>
    public string? EmbeddingModel { get; init; }

    /// <summary>Width of that embedding (checked at serving time against what the model gives).</summary>
    public int EmbeddingDimensions { get; init; }

    /// <summary>Most prompt tokens the embedding model reads (the prompt's first ones); part of the features, so stored too.</summary>
    public int EmbeddingMaxTokens { get; init; } = 512;

    /// <summary>Number of features these options produce.</summary>
    [JsonIgnore]
    public int Dimensions => ShapeCount + HashBuckets + (EmbeddingModel is null ? 0 : EmbeddingDimensions);

    /// <summary>Number of shape features (0 when <see cref="Shape"/> is off).</summary>
    [JsonIgnore]
    public int ShapeCount => Shape ? PromptShape.Count : 0;

    /// <summary>Number of hash buckets (0 when hashing is off).</summary>
    [JsonIgnore]
    public int HashBuckets => HashBits == 0 ? 0 : 1 << HashBits;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (HashBits is < 0 or > 24)
        {
            throw new ArgumentException($"HashBits must be 0..24 (got {HashBits}).");
        }
        if (WordNGrams is < 1 or > 4)
        {
            throw new ArgumentException($"WordNGrams must be 1..4 (got {WordNGrams}).");
        }
        if (EmbeddingModel is not null && EmbeddingDimensions <= 0)
        {
            throw new ArgumentException("EmbeddingDimensions must be positive when an EmbeddingModel is set.");
        }
        if (EmbeddingMaxTokens < 1)
        {
            throw new ArgumentException($"EmbeddingMaxTokens must be positive (got {EmbeddingMaxTokens}).");
        }
        if (Dimensions == 0)
        {
            throw new ArgumentException("The features are empty: enable hashing, shape or an embedding.");
        }
    }
}
