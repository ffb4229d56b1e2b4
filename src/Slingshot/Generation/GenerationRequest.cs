namespace Slingshot;

/// <summary>What to generate: a prompt, how many samples, how to sample them and when to stop.</summary>
public sealed record GenerationRequest
{
    /// <summary>The prompt text (tokenized with the model's tokenizer); ignored when <see cref="PromptTokens"/> is set.</summary>
    public string? Prompt { get; init; }

    /// <summary>The prompt as token ids.</summary>
    public IReadOnlyList<int>? PromptTokens { get; init; }

    /// <summary>Add BOS/EOS as the model is configured to when tokenizing <see cref="Prompt"/>.</summary>
    public bool AddSpecialTokens { get; init; } = true;

    /// <summary>Recognize special tokens written in the prompt text (needed for chat templates).</summary>
    public bool ParseSpecialTokens { get; init; } = true;

    /// <summary>Number of samples. The prompt is decoded once and its KV cache forked into each sample.</summary>
    public int SampleCount { get; init; } = 1;

    /// <summary>Most tokens per sample; null = the context's share left after the prompt, at most <see cref="DefaultMaxTokens"/>.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>
    /// When <see cref="MaxTokens"/> is null, the most tokens per sample, cut to what fits beside the prompt (a server's
    /// default: without it a request reserves the whole context and runs alone). null = no cap.
    /// </summary>
    public int? DefaultMaxTokens { get; init; }

    /// <summary>Strings that end a sample (not included in its text); matched also across token boundaries.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Sampler settings.</summary>
    public SamplerSettings Sampling { get; init; } = new();

    /// <summary>Keep generating through end-of-generation tokens (benchmarks measure a fixed token count, as llama-bench does).</summary>
    public bool IgnoreEndOfGeneration { get; init; }

    /// <summary>Special tokens that appear in the text as written (tool-call markers such as &lt;|python_tag|&gt;, which a
    /// chat format's parser reads), where other special tokens render as nothing; null for none.</summary>
    public IReadOnlySet<int>? PreservedTokens { get; init; }

    /// <summary>Report log-probabilities: null = no; 0 = the chosen token's; N = also the N most likely alternatives.</summary>
    public int? TopLogprobs { get; init; }
}
