namespace Slingshot.Embeddings;

/// <summary>Settings of <see cref="LlamaEmbeddingGenerator"/>.</summary>
public sealed record LlamaEmbeddingOptions
{
    /// <summary>Threads (default: the machine's cores).</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Most tokens of a text that are embedded (default 512, at most the model's training context); longer texts are
    /// cut to their first tokens, which the generated embedding's metadata does not hide: it is documented here.
    /// </summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary>Scale each embedding to unit length (cosine similarity becomes a dot product).</summary>
    public bool Normalize { get; init; } = true;
}
