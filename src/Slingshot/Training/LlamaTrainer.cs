using System.Diagnostics;
using System.Globalization;
using Slingshot.Gguf;

namespace Slingshot.Training;

/// <summary>
/// Trains a GGUF model in place with llama.cpp's optimizer (<c>llama_opt_*</c>): AdamW or SGD, warm-up and
/// decay through the per-step parameters callback, shuffled epochs of packed windows, validation after every
/// epoch, early stopping, a checkpoint at the end of every epoch (and on cancellation, and on an interval), and
/// exact resumption: the same data order, schedule position and AdamW state.
/// </summary>
public sealed partial class LlamaTrainer : ITrainer
{
    /// <inheritdoc />
    public Task<TrainingResult> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        // llama.cpp blocks for the whole run: give it a thread of its own.
        return Task.Factory.StartNew(() => new Run(job, progress, cancellationToken).Execute(), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The settings and data that define a run; a checkpoint is resumed only with the same.</summary>
    private static string Identity(TrainingJob job, TrainingData data, string modelPath)
    {
        var o = job.Options;
        var model = new FileInfo(modelPath);
        return string.Join(';',
            $"model={Path.GetFileName(modelPath)}:{model.Length}",
            $"data={job.Data.Description}:{data.TrainExampleCount}:{data.TrainTokens}:{data.ValidationExampleCount}",
            $"ctx={o.ContextSize}/{o.EffectiveMicroBatch}", $"epochs={o.Epochs}", $"optimizer={o.Optimizer}",
            string.Create(CultureInfo.InvariantCulture, $"lr={o.LearningRate}/{o.MinLearningRate}/{o.WarmupSteps}/{o.Decay}"),
            string.Create(CultureInfo.InvariantCulture, $"adam={o.Beta1}/{o.Beta2}/{o.Epsilon}/{o.WeightDecay}"),
            string.Create(CultureInfo.InvariantCulture, $"validation={o.ValidationFraction}"),
            $"seed={o.Seed}", $"tensors={o.Trainable}", $"template={job.ChatTemplate}");
    }

    private sealed partial class Run
    {
        private readonly TrainingJob _job;
        private readonly TrainingOptions _options;
        private readonly IProgress<TrainingProgress>? _progress;
        private readonly CancellationToken _cancellationToken;
        private readonly string _directory;
        private readonly List<string> _notes = [];
        private readonly Stopwatch _trainClock = new();
        private readonly Stopwatch _wallClock = Stopwatch.StartNew();
        private readonly Queue<double> _recentLoss = new();
        private TrainingSession _session = null!;
        private TrainingData _data = null!;
        private TrainingLog _log = null!;
        private LearningRateSchedule _schedule = null!;
        private string _basePath = "";
        private TrainerState _state = null!;
        private TrainerState? _written;
        private long _stepsThisCall;
        private DateTime _lastCheckpoint = DateTime.UtcNow;

        public Run(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
        {
            _job = job;
            _options = job.Options;
            _progress = progress;
            _cancellationToken = cancellationToken;
            _directory = job.EffectiveCheckpointDirectory;
        }

        public TrainingResult Execute()
        {
            _options.Validate();
            ArgumentException.ThrowIfNullOrWhiteSpace(_job.OutputPath);
            var modelPath = Path.GetFullPath(_job.ModelPath);
            if (!File.Exists(modelPath))
            {
                throw new FileNotFoundException($"Model '{_job.ModelPath}' does not exist.", modelPath);
            }
            ModelFilePath.EnsureRegularFile(modelPath);
            Directory.CreateDirectory(_directory);
            var saved = TrainerCheckpoint.Read(_directory);
            if (saved is not null && !_job.Resume)
            {
                throw new ArgumentException(
                    $"'{_directory}' holds a checkpoint (step {saved.Step} of {saved.TotalSteps}); resume it (--resume) or remove the folder to start anew.");
            }
            Report(TrainingPhase.Preparing);

            _basePath = TrainableModelFile.Prepare(modelPath, Path.Combine(_directory, "base-f32.gguf"), _options.Trainable, _notes);
            var blocks = TrainableModelFile.BlockCount(GgufFile.Read(_basePath));
            using var model = LlamaModel.Load(saved is null ? _basePath : Path.Combine(_directory, saved.ModelFile), new ModelOptions { UseMemoryMap = false });
            _data = TrainingData.Load(_job.Data, _job.Validation, _options.ValidationFraction, new ExampleTokenizer(model, _job.ChatTemplate),
                _options.ContextSize, _options.Seed, _cancellationToken);
            var windowsPerEpoch = Enumerable.Range(0, _options.Epochs).Select(_data.WindowCount).ToArray();
            var totalSteps = windowsPerEpoch.Sum(w => (long)w);
            _schedule = LearningRateSchedule.For(_options, totalSteps);
            var identity = Identity(_job, _data, modelPath);
            if (saved is not null && saved.Identity != identity)
            {
                throw new ArgumentException(
                    $"The checkpoint in '{_directory}' was made with other data or settings; resume with the same ones, or remove the folder to start anew.");
            }
            _state = saved ?? new TrainerState { Identity = identity, Epoch = 0, WindowInEpoch = 0, Step = 0, TotalSteps = totalSteps, ModelFile = "" };
            _written = saved;

            using var session = new TrainingSession(model, _options, blocks);
            _session = session;
            session.Settings = step => new StepSettings(_schedule.At(step), _options.Beta1, _options.Beta2, _options.Epsilon, _options.WeightDecay);
            session.Steps = _state.Step;
            session.EnsureOptimizerState(_data.ValidationWindows.Count > 0 ? _data.ValidationWindows[0] : _data.Windows(0)[0]);
            if (saved?.OptimizerFile is { } optimizerFile)
            {
                session.WriteOptimizerState(OptimizerFile.Read(Path.Combine(_directory, optimizerFile)));
            }

            using var log = TrainingLog.Open(Path.Combine(_directory, "log.jsonl"), saved?.Step, saved?.Epoch ?? 0);
            _log = log;
            if (saved is null)
            {
                log.Write(new TrainingLogEntry { Type = "start", Step = 0, Settings = Settings(model, windowsPerEpoch, totalSteps) });
                if (Validate(epoch: -1) is { } initial)
                {
                    _state = _state with { InitialValidation = initial };
                }
            }
            var finished = _state.Finished || TrainEpochs(windowsPerEpoch);
            return Finish(finished);
        }

        /// <summary>Runs the remaining epochs; false when the run stopped to be resumed later.</summary>
        private bool TrainEpochs(int[] windowsPerEpoch)
        {
            for (var epoch = _state.Epoch; epoch < _options.Epochs; epoch++)
            {
                var windows = _data.Windows(epoch);
                for (var w = _state.Epoch == epoch ? _state.WindowInEpoch : 0; w < windows.Count; w++)
                {
                    var step = _session.Steps;
                    var measureNorm = _options.GradientNormInterval > 0 && step % _options.GradientNormInterval == 0;
                    _trainClock.Start();
                    var started = _trainClock.Elapsed;
                    var result = _session.Train(windows[w], measureNorm);
                    _trainClock.Stop();
                    var seconds = (_trainClock.Elapsed - started).TotalSeconds;
                    _stepsThisCall++;
                    _state = _state with
                    {
                        Epoch = epoch,
                        WindowInEpoch = w + 1,
                        Step = _session.Steps,
                        EpochLossSum = _state.EpochLossSum + result.Loss,
                        EpochAccuracySum = _state.EpochAccuracySum + result.Accuracy,
                        EpochSeconds = _state.EpochSeconds + seconds,
                    };
                    _log.Write(new TrainingLogEntry
                    {
                        Type = "step", Epoch = epoch, Step = _session.Steps, Loss = result.Loss, Accuracy = result.Accuracy,
                        LearningRate = _schedule.At(step), GradientNorm = _session.LastGradientNorm,
                        Seconds = seconds, TokensPerSecond = result.Tokens / seconds,
                    });
                    Remember(result.Loss);
                    Report(TrainingPhase.Training, _schedule.At(step));

                    if (_cancellationToken.IsCancellationRequested)
                    {
                        Checkpoint();
                        _cancellationToken.ThrowIfCancellationRequested();
                    }
                    if (_options.StopAfter is { } limit && _wallClock.Elapsed >= limit && w + 1 < windows.Count)
                    {
                        Checkpoint();
                        return false;
                    }
                    if (_options.CheckpointInterval is { } interval && DateTime.UtcNow - _lastCheckpoint >= interval && w + 1 < windows.Count)
                    {
                        Checkpoint();
                    }
                }
                if (EndEpoch(epoch, windows.Count))
                {
                    return true;
                }
                if (_options.StopAfter is { } stop && _wallClock.Elapsed >= stop && epoch + 1 < _options.Epochs)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>Validation, best model, early stopping and the epoch's checkpoint; true when training should stop.</summary>
        private bool EndEpoch(int epoch, int windows)
        {
            var validation = Validate(epoch);
            var summary = new EpochSummary(epoch, _state.EpochLossSum / windows, _state.EpochAccuracySum / windows, validation, windows, _state.EpochSeconds);
            _log.Write(new TrainingLogEntry
            {
                Type = "epoch", Epoch = epoch, Step = _session.Steps, Loss = summary.TrainLoss, Accuracy = summary.TrainAccuracy,
                ValidationLoss = validation?.Loss, ValidationAccuracy = validation?.Accuracy, Seconds = summary.Seconds,
                TokensPerSecond = windows * (double)_options.ContextSize / summary.Seconds,
            });
            var improved = validation is not null && !(validation.Loss >= _state.BestValidationLoss);
            if (improved)
            {
                Report(TrainingPhase.Checkpointing);
                WriteModel(Path.Combine(_directory, TrainerCheckpoint.BestModelFile));
            }
            var patience = improved ? 0 : _state.EpochsWithoutImprovement + (validation is null ? 0 : 1);
            var stop = _options.EarlyStoppingPatience is { } limit && patience >= limit;
            _state = _state with
            {
                Epoch = epoch + 1,
                WindowInEpoch = 0,
                Epochs = [.. _state.Epochs, summary],
                BestValidationLoss = improved ? validation!.Loss : _state.BestValidationLoss,
                BestEpoch = improved ? epoch : _state.BestEpoch,
                EpochsWithoutImprovement = patience,
                EpochLossSum = 0,
                EpochAccuracySum = 0,
                EpochSeconds = 0,
                Finished = stop || epoch + 1 == _options.Epochs,
            };
            Checkpoint();
            return stop;
        }

        private ValidationResult? Validate(int epoch)
        {
            if (_data.ValidationWindows.Count == 0)
            {
                return null;
            }
            Report(TrainingPhase.Validating);
            double loss = 0, accuracy = 0;
            long tokens = 0;
            foreach (var window in _data.ValidationWindows)
            {
                var result = _session.Evaluate(window);
                loss += result.Loss * result.Tokens;
                accuracy += result.Accuracy * result.Tokens;
                tokens += result.Tokens;
            }
            var validation = new ValidationResult(loss / tokens, accuracy / tokens, tokens);
            _log.Write(new TrainingLogEntry { Type = "validation", Epoch = epoch, Step = _session.Steps, Loss = validation.Loss, Accuracy = validation.Accuracy });
            return validation;
        }

        private void Checkpoint()
        {
            Report(TrainingPhase.Checkpointing);
            var optimizer = _options.Optimizer == OptimizerKind.AdamW ? _session.ReadOptimizerState() : null;
            _written = TrainerCheckpoint.Write(_directory, _state, WriteModel, optimizer, _written);
            _state = _written;
            _lastCheckpoint = DateTime.UtcNow;
        }

        /// <summary>Writes the model as it is now: the base file's metadata and frozen tensors, the trained tensors from memory.</summary>
        private unsafe void WriteModel(string path)
        {
            var trainable = _session.Trainable;
            GgufCopy.Write(_basePath, path, tensorData: (tensor, source, destination) =>
            {
                if (!trainable.TryGetValue(tensor.Name, out var live))
                {
                    return false;
                }
                var native = (Native.Interop.GgmlTensor*)live;
                var bytes = (long)Native.Interop.LlamaNative.ggml_nbytes(native);
                if (bytes != destination.Length)
                {
                    throw new SlingshotException($"Tensor '{tensor.Name}' holds {bytes} bytes in memory but {destination.Length} in the file.");
                }
                new ReadOnlySpan<byte>(native->Data, destination.Length).CopyTo(destination);
                return true;
            });
        }
    }
}
