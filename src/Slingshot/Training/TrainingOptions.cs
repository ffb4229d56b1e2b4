namespace Slingshot.Training;

/// <summary>The optimizers ggml-opt implements.</summary>
public enum OptimizerKind
{
    /// <summary>AdamW with decoupled weight decay (ggml-opt's default).</summary>
    AdamW,

    /// <summary>Plain stochastic gradient descent with weight decay; no moments, half the optimizer memory.</summary>
    Sgd,
}

/// <summary>How the learning rate falls after warm-up.</summary>
public enum DecayKind
{
    /// <summary>Half a cosine from the peak to the minimum over the remaining steps.</summary>
    Cosine,

    /// <summary>A straight line from the peak to the minimum over the remaining steps.</summary>
    Linear,

    /// <summary>The peak until the end.</summary>
    Constant,
}

/// <summary>
/// How a model is trained: optimizer, schedule, epochs, validation, checkpoints and threads. Every value is
/// checked before anything reaches llama.cpp (<see cref="Validate"/>), because ggml-opt asserts (and ends the
/// process) on a learning rate of 0, betas or weight decay outside [0, 1] and a context it cannot split.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training examples. Default 1.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Tokens per training window (llama.cpp's n_ctx); a multiple of 256. Default 512.</summary>
    public int ContextSize { get; init; } = 512;

    /// <summary>Tokens per forward/backward pass (n_ubatch); divides <see cref="ContextSize"/>. Gradients of the
    /// passes of one window are accumulated, so every window is one optimizer step. Default: the context size.</summary>
    public int? MicroBatchSize { get; init; }

    /// <summary>AdamW or SGD. Default AdamW.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;

    /// <summary>Peak learning rate, reached at the end of warm-up. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Learning rate at the end of the decay, above 0 (ggml-opt asserts on 0). Default: a tenth of the peak.</summary>
    public double? MinLearningRate { get; init; }

    /// <summary>Optimizer steps of linear warm-up from near 0 to the peak. Default: 5% of all steps (at least 1).</summary>
    public int? WarmupSteps { get; init; }

    /// <summary>Shape of the decay after warm-up. Default cosine.</summary>
    public DecayKind Decay { get; init; } = DecayKind.Cosine;

    /// <summary>AdamW's first-moment decay, in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW's second-moment decay, in [0, 1). Default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>AdamW's epsilon, at least 0. Default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decoupled weight decay per step, scaled by the learning rate, in [0, 1]. Default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Share of the examples held out for validation (loss and token accuracy after every epoch), in
    /// [0, 0.5]. Ignored when <see cref="TrainingJob.Validation"/> is given. Default 0.05.</summary>
    public double ValidationFraction { get; init; } = 0.05;

    /// <summary>Stop after this many epochs without a lower validation loss; null never stops early.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Seed of the validation split and of the example order of every epoch. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>CPU threads, at most the cores .NET reports. Default: all of them.</summary>
    public int? Threads { get; init; }

    /// <summary>Which tensors train. Default: all F32 weights llama.cpp can train.</summary>
    public TensorSelection Trainable { get; init; } = TensorSelection.All;

    /// <summary>Also checkpoint within an epoch when this much time has passed since the last checkpoint; null
    /// checkpoints only at the end of every epoch.</summary>
    public TimeSpan? CheckpointInterval { get; init; }

    /// <summary>Stop (after writing a checkpoint) once this much training time has passed in this call; the run
    /// continues with <see cref="TrainingJob.Resume"/>. Lets long runs be split into chunks.</summary>
    public TimeSpan? StopAfter { get; init; }

    /// <summary>Compute the gradient norm every this many steps (0 = never); it costs one read of every gradient.
    /// Default 10.</summary>
    public int GradientNormInterval { get; init; } = 10;

    /// <summary>Throws a one-line <see cref="ArgumentException"/> for any value llama.cpp would assert on or that makes no sense.</summary>
    public void Validate()
    {
        string? problem =
            Epochs < 1 ? $"epochs must be at least 1 (got {Epochs})"
            : ContextSize < 256 || ContextSize % 256 != 0 ? $"the context size must be a positive multiple of 256, as llama.cpp pads it (got {ContextSize})"
            : MicroBatchSize is { } u && (u < 1 || ContextSize % u != 0) ? $"the micro-batch size {u} must divide the context size {ContextSize}"
            : !(LearningRate > 0) || !double.IsFinite(LearningRate) ? $"the learning rate must be above 0 (got {LearningRate})"
            : MinLearningRate is { } min && (!(min > 0) || min > LearningRate) ? $"the minimum learning rate must be above 0 and at most the peak {LearningRate} (got {min})"
            : WarmupSteps is < 0 ? $"warm-up steps must be at least 0 (got {WarmupSteps})"
            : !(Beta1 >= 0 && Beta1 < 1) ? $"beta1 must be in [0, 1) (got {Beta1})"
            : !(Beta2 >= 0 && Beta2 < 1) ? $"beta2 must be in [0, 1) (got {Beta2})"
            : !(Epsilon >= 0) || !double.IsFinite(Epsilon) ? $"epsilon must be at least 0 (got {Epsilon})"
            : !(WeightDecay >= 0 && WeightDecay <= 1) ? $"weight decay must be in [0, 1] (got {WeightDecay})"
            : !(ValidationFraction >= 0 && ValidationFraction <= 0.5) ? $"the validation fraction must be in [0, 0.5] (got {ValidationFraction})"
            : EarlyStoppingPatience is < 1 ? $"early-stopping patience must be at least 1 epoch (got {EarlyStoppingPatience})"
            : Threads is { } t && t < 1 ? $"threads must be at least 1 (got {t})"
            : Threads is { } c && c > LlamaRuntime.DefaultThreads ? $"{c} threads is more than the {LlamaRuntime.DefaultThreads} cores here; ggml's threads busy-wait, so more threads than cores makes training many times slower"
            : GradientNormInterval < 0 ? $"the gradient-norm interval must be at least 0 (got {GradientNormInterval})"
            : null;
        if (problem is not null)
        {
            throw new ArgumentException($"Training options: {problem}.");
        }
    }

    /// <summary>The threads used: <see cref="Threads"/> or every core.</summary>
    public int EffectiveThreads => Threads ?? LlamaRuntime.DefaultThreads;

    /// <summary>The micro-batch used: <see cref="MicroBatchSize"/> or the whole window.</summary>
    public int EffectiveMicroBatch => MicroBatchSize ?? ContextSize;
}
