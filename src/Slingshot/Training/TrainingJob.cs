namespace Slingshot.Training;

/// <summary>What to train: a model file, data, options, and where the result and the checkpoints go.</summary>
public sealed record TrainingJob
{
    /// <summary>The GGUF to start from (F32 or F16 weights; quantized models are refused).</summary>
    public required string ModelPath { get; init; }

    /// <summary>Where the trained model is written (the best validation epoch's weights when there is validation).</summary>
    public required string OutputPath { get; init; }

    /// <summary>The training examples.</summary>
    public required ITrainingExampleSource Data { get; init; }

    /// <summary>Held-out examples for validation; null holds out <see cref="TrainingOptions.ValidationFraction"/> of <see cref="Data"/>.</summary>
    public ITrainingExampleSource? Validation { get; init; }

    /// <summary>How to train.</summary>
    public TrainingOptions Options { get; init; } = new();

    /// <summary>Folder for checkpoints, the JSON log and intermediate files. Default: the output path + <c>.train</c>.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Continue from the checkpoint in <see cref="CheckpointDirectory"/> (same data and options). Without it an
    /// existing checkpoint is refused rather than overwritten.</summary>
    public bool Resume { get; init; }

    /// <summary>Renders chat examples with this template (a built-in name or template text) instead of the model's own.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>The checkpoint folder actually used.</summary>
    public string EffectiveCheckpointDirectory => Path.GetFullPath(CheckpointDirectory ?? OutputPath + ".train");
}

/// <summary>The entry point for training and fine-tuning models.</summary>
public interface ITrainer
{
    /// <summary>Trains <paramref name="job"/>'s model; reports every step; cancellation writes a checkpoint first.</summary>
    Task<TrainingResult> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>What the trainer is doing.</summary>
public enum TrainingPhase
{
    /// <summary>Reading and tokenizing data, loading the model.</summary>
    Preparing,

    /// <summary>Measuring validation loss.</summary>
    Validating,

    /// <summary>Taking optimizer steps.</summary>
    Training,

    /// <summary>Writing a checkpoint.</summary>
    Checkpointing,
}

/// <summary>A progress report, sent after every step and at every phase change.</summary>
public sealed record TrainingProgress
{
    /// <summary>What is happening.</summary>
    public required TrainingPhase Phase { get; init; }

    /// <summary>The epoch (0-based).</summary>
    public int Epoch { get; init; }

    /// <summary>All epochs.</summary>
    public int Epochs { get; init; }

    /// <summary>Optimizer steps taken (the schedule's position).</summary>
    public long Step { get; init; }

    /// <summary>Steps of the whole run.</summary>
    public long TotalSteps { get; init; }

    /// <summary>Training loss averaged over the last steps.</summary>
    public double? Loss { get; init; }

    /// <summary>The last step's learning rate.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Training tokens per second in this call so far.</summary>
    public double TokensPerSecond { get; init; }

    /// <summary>Expected remaining time of the run at the current rate.</summary>
    public TimeSpan? Remaining { get; init; }

    /// <summary>The last validation loss.</summary>
    public double? ValidationLoss { get; init; }
}

/// <summary>Loss and token accuracy on the validation windows.</summary>
/// <param name="Loss">Mean cross-entropy per token (nats).</param>
/// <param name="Accuracy">Share of positions whose most likely next token is the right one.</param>
/// <param name="Tokens">Positions evaluated.</param>
public sealed record ValidationResult(double Loss, double Accuracy, long Tokens);

/// <summary>One finished epoch.</summary>
/// <param name="Epoch">0-based.</param>
/// <param name="TrainLoss">Mean training loss of its steps.</param>
/// <param name="TrainAccuracy">Mean training token accuracy.</param>
/// <param name="Validation">After the epoch, when there is validation.</param>
/// <param name="Steps">Steps of this epoch.</param>
/// <param name="Seconds">Training time (without validation and checkpoints).</param>
public sealed record EpochSummary(int Epoch, double TrainLoss, double TrainAccuracy, ValidationResult? Validation, int Steps, double Seconds);

/// <summary>The outcome of <see cref="ITrainer.TrainAsync"/>.</summary>
public sealed record TrainingResult
{
    /// <summary>The written model, or null when the run stopped early to be resumed (<see cref="TrainingOptions.StopAfter"/>).</summary>
    public string? OutputPath { get; init; }

    /// <summary>Whether all epochs ran or early stopping ended the run.</summary>
    public bool Completed { get; init; }

    /// <summary>Whether validation loss stopped improving before the last epoch.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Finished epochs.</summary>
    public IReadOnlyList<EpochSummary> Epochs { get; init; } = [];

    /// <summary>Steps taken over the whole run.</summary>
    public long Steps { get; init; }

    /// <summary>Steps the whole run takes.</summary>
    public long TotalSteps { get; init; }

    /// <summary>Validation before the first step.</summary>
    public ValidationResult? InitialValidation { get; init; }

    /// <summary>Validation of the written model (the best epoch's).</summary>
    public ValidationResult? FinalValidation { get; init; }

    /// <summary>The epoch whose weights were written (best validation loss), when there is validation.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>Tensors that trained.</summary>
    public IReadOnlyList<string> TrainedTensors { get; init; } = [];

    /// <summary>Parameters in the tensors that trained.</summary>
    public long TrainedParameters { get; init; }

    /// <summary>
    /// Tensors chosen to train that never received a gradient, so they kept their initial weights: with llama.cpp's
    /// training graph every layer's attn_k and attn_v (its KV-cache write has no backward pass). Null when it could
    /// not be measured (SGD keeps no second moments).
    /// </summary>
    public IReadOnlyList<string>? TensorsWithoutGradient { get; init; }

    /// <summary>Training tokens per second in this call.</summary>
    public double TokensPerSecond { get; init; }

    /// <summary>Training examples and windows per epoch; validation windows.</summary>
    public DataSummary Data { get; init; } = new(0, 0, 0, 0, 0);

    /// <summary>The JSON-lines log.</summary>
    public string LogPath { get; init; } = "";

    /// <summary>Things worth knowing (a converted F16 model, a tied output layer that cannot train, ...).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>The data as the trainer packed it.</summary>
/// <param name="TrainExamples">Examples trained on.</param>
/// <param name="ValidationExamples">Examples held out.</param>
/// <param name="TrainTokens">Tokens of the training examples (one epoch).</param>
/// <param name="WindowsPerEpoch">Windows (optimizer steps) of the first epoch.</param>
/// <param name="ValidationWindows">Windows of the validation set.</param>
public sealed record DataSummary(int TrainExamples, int ValidationExamples, long TrainTokens, int WindowsPerEpoch, int ValidationWindows);
