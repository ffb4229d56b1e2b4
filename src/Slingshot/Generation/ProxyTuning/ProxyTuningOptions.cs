namespace Slingshot.Generation.ProxyTuning;

/// <summary>How a <see cref="ProxyTunedGenerator"/> combines and runs its three models.</summary>
public sealed record ProxyTuningOptions
{
    /// <summary>Weight of the small models' difference: 0 is the large base alone, 1 the paper's proxy-tuning. Default 1.</summary>
    public float Alpha { get; init; } = 1f;

    /// <summary>Context cells of each model (0 = the large base's training context, at most 4096).</summary>
    public int ContextSize { get; init; }

    /// <summary>Decode threads of each model (default: the machine's cores).</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// LoRA adapters applied to the small tuned model only, with their scales: tuning as a LoRA over the small base
    /// (pass the same file as small base and small tuned). Each must be loaded for the small tuned model.
    /// </summary>
    public IReadOnlyList<(LoraAdapter Adapter, float Scale)> TunedLoraAdapters { get; init; } = [];

    /// <summary>Keep the combined log-probabilities of every step in the result (a vocabulary-sized array per token).</summary>
    public bool RecordStepLogprobs { get; init; }

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!float.IsFinite(Alpha))
        {
            throw new ArgumentException($"Proxy-tuning alpha must be a finite number (got {Alpha}).");
        }
        if (ContextSize is < 0 or > EngineOptions.MaxContextSize)
        {
            throw new ArgumentException($"Context size must be between 0 and {EngineOptions.MaxContextSize} (got {ContextSize}).");
        }
        if (Threads is < 1)
        {
            throw new ArgumentException($"Threads must be at least 1 (got {Threads}).");
        }
    }
}
