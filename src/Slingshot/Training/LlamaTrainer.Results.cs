using System.Globalization;

namespace Slingshot.Training;

public sealed partial class LlamaTrainer
{
    private sealed partial class Run
    {
        private const int LossWindow = 20;

        private TrainingResult Finish(bool finished)
        {
            string? output = null;
            ValidationResult? final = null;
            var withoutGradient = _session.TensorsWithoutGradient();
            if (finished)
            {
                output = Path.GetFullPath(_job.OutputPath);
                Directory.CreateDirectory(Path.GetDirectoryName(output)!);
                var best = Path.Combine(_directory, TrainerCheckpoint.BestModelFile);
                if (_state.BestEpoch is { } bestEpoch && File.Exists(best))
                {
                    var temporary = output + ".partial";
                    File.Copy(best, temporary, overwrite: true);
                    File.Move(temporary, output, overwrite: true);
                    final = _state.Epochs.First(e => e.Epoch == bestEpoch).Validation;
                }
                else
                {
                    WriteModel(output);
                    final = _state.Epochs.LastOrDefault()?.Validation;
                }
            }
            return new TrainingResult
            {
                OutputPath = output,
                Completed = finished,
                StoppedEarly = finished && _state.Epochs.Count < _options.Epochs,
                Epochs = _state.Epochs,
                Steps = _session.Steps,
                TotalSteps = _state.TotalSteps,
                InitialValidation = _state.InitialValidation,
                FinalValidation = final,
                BestEpoch = _state.BestEpoch,
                TrainedTensors = [.. _session.Trainable.Keys.Order(StringComparer.Ordinal)],
                TrainedParameters = TrainedParameters(),
                TensorsWithoutGradient = withoutGradient,
                TokensPerSecond = _trainClock.Elapsed.TotalSeconds > 0 ? _stepsThisCall * (double)_options.ContextSize / _trainClock.Elapsed.TotalSeconds : 0,
                Data = new DataSummary(_data.TrainExampleCount, _data.ValidationExampleCount, _data.TrainTokens, _data.WindowCount(0), _data.ValidationWindows.Count),
                LogPath = _log.Path,
                Notes = withoutGradient is { Count: > 0 } frozen ? [.. _notes, NoGradientNote(frozen)] : _notes,
            };
        }

        /// <summary>"16 of 38 tensors got no gradient and kept their initial weights: attn_k, attn_v (...)".</summary>
        private string NoGradientNote(IReadOnlyList<string> frozen)
        {
            // blk.3.attn_k.weight -> attn_k: one entry per kind, not per layer.
            var kinds = frozen.Select(n => n.StartsWith("blk.", StringComparison.Ordinal) ? n.Split('.')[2] : n.Replace(".weight", "", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal);
            return $"{frozen.Count} of {_session.Trainable.Count} tensors got no gradient and kept their initial weights: {string.Join(", ", kinds)}"
                + " (llama.cpp's training graph has no backward pass through its KV-cache write, so K and V never train)";
        }

        private unsafe long TrainedParameters() =>
            _session.Trainable.Values.Sum(t => Native.Interop.GgmlTensor.ElementCount((Native.Interop.GgmlTensor*)t));

        private void Remember(double loss)
        {
            _recentLoss.Enqueue(loss);
            if (_recentLoss.Count > LossWindow)
            {
                _recentLoss.Dequeue();
            }
        }

        private void Report(TrainingPhase phase, double? learningRate = null)
        {
            if (_progress is null)
            {
                return;
            }
            var seconds = _trainClock.Elapsed.TotalSeconds;
            var rate = seconds > 0 ? _stepsThisCall * (double)_options.ContextSize / seconds : 0;
            var total = _state?.TotalSteps ?? 0;
            var step = _session?.Steps ?? 0;
            TimeSpan? remaining = _stepsThisCall > 0 && total > 0 ? TimeSpan.FromSeconds(seconds / _stepsThisCall * (total - step)) : null;
            _progress.Report(new TrainingProgress
            {
                Phase = phase,
                Epoch = Math.Min(_state?.Epoch ?? 0, Math.Max(0, _options.Epochs - 1)),
                Epochs = _options.Epochs,
                Step = step,
                TotalSteps = total,
                Loss = _recentLoss.Count > 0 ? _recentLoss.Average() : null,
                LearningRate = learningRate,
                TokensPerSecond = rate,
                Remaining = remaining,
                ValidationLoss = _state?.Epochs.LastOrDefault()?.Validation?.Loss ?? _state?.InitialValidation?.Loss,
            });
        }

        private Dictionary<string, string> Settings(LlamaModel model, int[] windowsPerEpoch, long totalSteps)
        {
            var o = _options;
            string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
            return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["model"] = _job.ModelPath,
                ["output"] = _job.OutputPath,
                ["data"] = _job.Data.Description,
                ["validation"] = _job.Validation?.Description ?? $"{F(o.ValidationFraction)} of the data",
                ["parameters"] = model.Info.ParameterCount.ToString(CultureInfo.InvariantCulture),
                ["trainedTensors"] = _session.Trainable.Count.ToString(CultureInfo.InvariantCulture),
                ["trainedParameters"] = TrainedParameters().ToString(CultureInfo.InvariantCulture),
                ["trainExamples"] = _data.TrainExampleCount.ToString(CultureInfo.InvariantCulture),
                ["validationExamples"] = _data.ValidationExampleCount.ToString(CultureInfo.InvariantCulture),
                ["trainTokens"] = _data.TrainTokens.ToString(CultureInfo.InvariantCulture),
                ["windowsPerEpoch"] = windowsPerEpoch[0].ToString(CultureInfo.InvariantCulture),
                ["validationWindows"] = _data.ValidationWindows.Count.ToString(CultureInfo.InvariantCulture),
                ["totalSteps"] = totalSteps.ToString(CultureInfo.InvariantCulture),
                ["contextSize"] = o.ContextSize.ToString(CultureInfo.InvariantCulture),
                ["microBatch"] = o.EffectiveMicroBatch.ToString(CultureInfo.InvariantCulture),
                ["epochs"] = o.Epochs.ToString(CultureInfo.InvariantCulture),
                ["optimizer"] = o.Optimizer.ToString(),
                ["learningRate"] = F(o.LearningRate),
                ["minLearningRate"] = F(_schedule.Minimum),
                ["warmupSteps"] = _schedule.WarmupSteps.ToString(CultureInfo.InvariantCulture),
                ["decay"] = o.Decay.ToString(),
                ["weightDecay"] = F(o.WeightDecay),
                ["threads"] = o.EffectiveThreads.ToString(CultureInfo.InvariantCulture),
                ["tensors"] = o.Trainable.Text,
                ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
                ["notes"] = string.Join("; ", _notes),
            };
        }
    }
}
