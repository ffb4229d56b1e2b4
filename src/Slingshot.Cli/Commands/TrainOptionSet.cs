using System.CommandLine;
using System.Globalization;
using Slingshot.Training;

namespace Slingshot.Cli.Commands;

/// <summary>The flags <c>train</c> and <c>finetune</c> share: data, schedule, validation, checkpoints, threads.</summary>
internal sealed class TrainOptionSet
{
    public Option<string> Data { get; } = new("--data") { Description = "Training data: .txt (paragraphs) or .jsonl ({\"text\"}, {\"prompt\",\"completion\"} or {\"messages\"})", Required = true };
    public Option<string?> Validation { get; } = new("--validation") { Description = "Held-out data in the same formats (default: --val-fraction of --data)" };
    public Option<string> Output { get; } = new("--output", "-o") { Description = "Where to write the trained GGUF", Required = true };
    public Option<int> Context { get; } = new("--ctx") { Description = "Tokens per training window, a multiple of 256", DefaultValueFactory = _ => 512 };
    public Option<int?> MicroBatch { get; } = new("--ubatch") { Description = "Tokens per forward/backward pass (divides --ctx; default: --ctx)" };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Passes over the data", DefaultValueFactory = _ => 1 };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 1e-3 };
    public Option<double?> MinLearningRate { get; } = new("--min-lr") { Description = "Learning rate at the end (default: --lr / 10)" };
    public Option<int?> Warmup { get; } = new("--warmup") { Description = "Warm-up steps (default: 5% of all steps)" };
    public Option<string> Decay { get; } = new("--decay") { Description = "cosine, linear or constant", DefaultValueFactory = _ => "cosine" };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "adamw or sgd", DefaultValueFactory = _ => "adamw" };
    public Option<double> Beta1 { get; } = new("--beta1") { Description = "AdamW beta1", DefaultValueFactory = _ => 0.9 };
    public Option<double> Beta2 { get; } = new("--beta2") { Description = "AdamW beta2", DefaultValueFactory = _ => 0.999 };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "Decoupled weight decay in [0, 1]", DefaultValueFactory = _ => 0.0 };
    public Option<double> ValidationFraction { get; } = new("--val-fraction") { Description = "Share of --data held out when no --validation is given", DefaultValueFactory = _ => 0.05 };
    public Option<int?> Patience { get; } = new("--patience") { Description = "Stop after this many epochs without a lower validation loss" };
    public Option<long> Seed { get; } = new("--seed") { Description = "Seed of the validation split and the data order", DefaultValueFactory = _ => 1 };
    public Option<int?> Threads { get; } = new("--threads", "-t") { Description = "CPU threads (default: the machine's cores; never more)" };
    public Option<string> Tensors { get; } = new("--tensors") { Description = "What trains: all, or output, norms, last:N, name patterns (comma-separated)", DefaultValueFactory = _ => "all" };
    public Option<string?> CheckpointDirectory { get; } = new("--checkpoint-dir") { Description = "Checkpoints, log and report (default: <output>.train)" };
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue from the checkpoint (after Ctrl-C, a kill or --stop-after)" };
    public Option<double?> CheckpointMinutes { get; } = new("--checkpoint-every") { Description = "Also checkpoint within an epoch every this many minutes" };
    public Option<double?> StopAfterMinutes { get; } = new("--stop-after") { Description = "Stop at a checkpoint after this many minutes (continue with --resume)" };
    public Option<string?> ChatTemplate { get; } = new("--chat-template") { Description = "Render {\"messages\"} data with this template (built-in name or text) instead of the model's" };
    public Option<int> GradientNormEvery { get; } = new("--grad-norm-every") { Description = "Measure the gradient norm every N steps (0 = never)", DefaultValueFactory = _ => 10 };
    public Option<bool> Json { get; } = new("--json") { Description = "Print the result as JSON" };
    public Option<string?> CpuVariant { get; } = new("--cpu-variant") { Description = "Pin a llama.cpp CPU backend variant (x64, haswell, zen4, ...)" };
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Show llama.cpp's log on stderr" };

    /// <summary>Adds every flag; <paramref name="withData"/> false leaves out --data (distill takes its data from a store).</summary>
    public void AddTo(Command command, bool withData = true)
    {
        if (withData)
        {
            command.Add(Data);
        }
        foreach (var option in new Option[] { Validation, Output, Context, MicroBatch, Epochs, LearningRate, MinLearningRate, Warmup, Decay, Optimizer,
            Beta1, Beta2, WeightDecay, ValidationFraction, Patience, Seed, Threads, Tensors, CheckpointDirectory, Resume, CheckpointMinutes,
            StopAfterMinutes, ChatTemplate, GradientNormEvery, Json, CpuVariant, Verbose })
        {
            command.Add(option);
        }
    }

    public TrainingOptions Options(ParseResult parse) => new()
    {
        Epochs = parse.GetValue(Epochs),
        ContextSize = parse.GetValue(Context),
        MicroBatchSize = parse.GetValue(MicroBatch),
        Optimizer = parse.GetRequiredValue(Optimizer).ToLowerInvariant() switch
        {
            "adamw" => OptimizerKind.AdamW,
            "sgd" => OptimizerKind.Sgd,
            var other => throw new ArgumentException($"--optimizer must be adamw or sgd (got {other})."),
        },
        LearningRate = parse.GetValue(LearningRate),
        MinLearningRate = parse.GetValue(MinLearningRate),
        WarmupSteps = parse.GetValue(Warmup),
        Decay = parse.GetRequiredValue(Decay).ToLowerInvariant() switch
        {
            "cosine" => DecayKind.Cosine,
            "linear" => DecayKind.Linear,
            "constant" => DecayKind.Constant,
            var other => throw new ArgumentException($"--decay must be cosine, linear or constant (got {other})."),
        },
        Beta1 = parse.GetValue(Beta1),
        Beta2 = parse.GetValue(Beta2),
        WeightDecay = parse.GetValue(WeightDecay),
        ValidationFraction = parse.GetValue(ValidationFraction),
        EarlyStoppingPatience = parse.GetValue(Patience),
        Seed = parse.GetValue(Seed),
        Threads = parse.GetValue(Threads),
        Trainable = TensorSelection.Parse(parse.GetRequiredValue(Tensors)),
        CheckpointInterval = Minutes(parse.GetValue(CheckpointMinutes), "--checkpoint-every"),
        StopAfter = Minutes(parse.GetValue(StopAfterMinutes), "--stop-after"),
        GradientNormInterval = parse.GetValue(GradientNormEvery),
    };

    /// <summary>The job these flags describe; <paramref name="data"/> replaces --data when given.</summary>
    public TrainingJob Job(ParseResult parse, string modelPath, ITrainingExampleSource? data = null) => new()
    {
        ModelPath = modelPath,
        OutputPath = parse.GetRequiredValue(Output),
        Data = data ?? new TrainingDataFile(parse.GetRequiredValue(Data)),
        Validation = parse.GetValue(Validation) is { } validation ? new TrainingDataFile(validation) : null,
        Options = Options(parse),
        CheckpointDirectory = parse.GetValue(CheckpointDirectory),
        Resume = parse.GetValue(Resume),
        ChatTemplate = parse.GetValue(ChatTemplate),
    };

    private static TimeSpan? Minutes(double? minutes, string flag) => minutes switch
    {
        null => null,
        > 0 and < 1e6 => TimeSpan.FromMinutes(minutes.Value),
        _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{flag} must be a positive number of minutes (got {minutes}).")),
    };
}
