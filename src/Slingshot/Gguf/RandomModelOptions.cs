namespace Slingshot.Gguf;

/// <summary>How <see cref="RandomModelWriter"/> fills a generated model.</summary>
public sealed record RandomModelOptions
{
    /// <summary>
    /// A ChatML chat template (Jinja), the format of Qwen and SmolLM2 instruct models; llama.cpp's built-in
    /// template matcher recognises it by its <c>&lt;|im_start|&gt;</c> markers.
    /// </summary>
    public const string ChatMLTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /// <summary>Seed of the weights; the same shape and options always give a byte-identical file. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Storage type of the weight matrices: F32, F16 or Q8_0 (default). Norms are always F32.</summary>
    public GgmlType TensorType { get; init; } = GgmlType.Q8_0;

    /// <summary>Standard deviation of the (approximately normal) weights. Default 0.02.</summary>
    public float WeightStdDev { get; init; } = 0.02f;

    /// <summary>Chat template stored as tokenizer.chat_template; null omits it. Default <see cref="ChatMLTemplate"/>.</summary>
    public string? ChatTemplate { get; init; } = ChatMLTemplate;

    /// <summary>Receives the fraction of tensor data written, from 0 to 1.</summary>
    public IProgress<double>? Progress { get; init; }
}
