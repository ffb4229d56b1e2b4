namespace Slingshot;

/// <summary>What a loaded model is: its shape, size, quantization and special tokens.</summary>
public sealed record ModelInfo
{
    /// <summary>general.architecture, e.g. "llama", "qwen2".</summary>
    public required string Architecture { get; init; }
    /// <summary>general.name when present.</summary>
    public string? Name { get; init; }
    /// <summary>llama.cpp's one-line description, e.g. "llama 100M Q8_0".</summary>
    public required string Description { get; init; }
    /// <summary>Number of parameters.</summary>
    public required long ParameterCount { get; init; }
    /// <summary>Bytes of all tensors.</summary>
    public required long SizeBytes { get; init; }
    /// <summary>The file type (quantization), e.g. "Q8_0", "all F32".</summary>
    public required string Quantization { get; init; }
    /// <summary>
    /// The context length the model was trained with (<c>{architecture}.context_length</c>, an unsigned 32-bit value
    /// in the file, so up to 4,294,967,295).
    /// </summary>
    public required long TrainContextLength { get; init; }
    /// <summary>Embedding width.</summary>
    public required int EmbeddingLength { get; init; }
    /// <summary>Number of transformer blocks.</summary>
    public required int LayerCount { get; init; }
    /// <summary>Attention heads.</summary>
    public required int HeadCount { get; init; }
    /// <summary>Key/value heads (grouped-query attention when fewer than heads).</summary>
    public required int KvHeadCount { get; init; }
    /// <summary>Tokens in the vocabulary.</summary>
    public required int VocabularySize { get; init; }
    /// <summary>Tokenizer family: "spm", "bpe", "wpm", ...</summary>
    public required string VocabularyType { get; init; }
    /// <summary>Beginning-of-sequence token, or null.</summary>
    public int? BosToken { get; init; }
    /// <summary>End-of-sequence token, or null.</summary>
    public int? EosToken { get; init; }
    /// <summary>End-of-turn token, or null.</summary>
    public int? EotToken { get; init; }
    /// <summary>The chat template stored in the file, or null.</summary>
    public string? ChatTemplate { get; init; }
    /// <summary>Why <see cref="ChatTemplate"/> cannot render a conversation, found when the model loaded (also logged as a
    /// warning); null when it can, or when there is none. Chat requests then need a template override.</summary>
    public string? ChatTemplateError { get; init; }
    /// <summary>All scalar metadata as llama.cpp renders it (arrays are omitted).</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
}
