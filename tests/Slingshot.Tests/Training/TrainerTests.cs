using Slingshot.Gguf;
using Slingshot.Training;

namespace Slingshot.Tests.Training;

/// <summary>The trainer end to end on stories260K: learning, saving, resuming, partial training.</summary>
public sealed class TrainerTests
{
    [Fact]
    public void Train_FewSteps_LossDecreases()
    {
        var output = TrainingFixtures.TempPath("learned.gguf");
        var result = TrainingFixtures.Train(TrainingFixtures.Job(TrainingFixtures.PromptCompletionFile(), output));

        Assert.True(result.Completed);
        Assert.True(result.Steps >= 5, $"only {result.Steps} steps");
        Assert.NotNull(result.InitialValidation);
        Assert.NotNull(result.FinalValidation);
        Assert.True(result.FinalValidation.Loss < result.InitialValidation.Loss * 0.7,
            $"validation loss {result.InitialValidation.Loss:F3} -> {result.FinalValidation.Loss:F3}");
        var steps = TrainingLog.ReadAll(result.LogPath).Where(e => e.Type == "step").ToList();
        Assert.Equal(result.Steps, steps.Count);
        Assert.True(steps[^1].Loss < steps[0].Loss, $"step loss {steps[0].Loss:F3} -> {steps[^1].Loss:F3}");
        Assert.All(steps, s => Assert.True(s.GradientNorm > 0));
    }

    [Fact]
    public async Task Train_SavedModel_LoadsKeepsMetadataAndGenerates()
    {
        var output = TrainingFixtures.TempPath("saved.gguf");
        var options = TrainingFixtures.Options() with { Epochs = 3 };
        TrainingFixtures.Train(TrainingFixtures.Job(TrainingFixtures.PromptCompletionFile(), output, options));

        // Every metadata entry of the source survives (llama_model_save_to_file would drop general.* and more).
        var source = GgufFile.Read(TestPaths.Stories260K);
        var saved = GgufFile.Read(output);
        Assert.Equal(source.Metadata.Select(m => m.Key), saved.Metadata.Select(m => m.Key));
        Assert.Equal(source.Tensors.Select(t => (t.Name, t.Type)), saved.Tensors.Select(t => (t.Name, t.Type)));

        using var engine = LlamaEngine.Load(output, new EngineOptions { ContextSize = 256, MaxSequences = 1, Threads = 2 });
        var result = await engine.GenerateAsync(new GenerationRequest
        {
            Prompt = "Tom has 7 red balls.",
            Sampling = SamplerSettings.Greedy,
            MaxTokens = 16,
        });
        // The learned format (which digit is another matter after 80 steps of a 260K-parameter model).
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(result.Samples[0].Text, @"^ The answer is \d\."),
            $"'{result.Samples[0].Text}' ({result.Samples[0].FinishReason}, tokens {string.Join(' ', result.Samples[0].Tokens ?? [])})");
    }

    [Fact]
    public void Train_OutputLayerOnly_LeavesEveryOtherTensorBitIdentical()
    {
        var output = TrainingFixtures.TempPath("partial.gguf");
        var options = TrainingFixtures.Options() with { Trainable = TensorSelection.Parse("output") };
        var result = TrainingFixtures.Train(TrainingFixtures.Job(TrainingFixtures.PromptCompletionFile(), output, options));

        Assert.Equal(["output.weight", "output_norm.weight"], result.TrainedTensors);
        var before = TrainingFixtures.TensorBytes(TestPaths.Stories260K);
        var after = TrainingFixtures.TensorBytes(output);
        foreach (var (name, bytes) in before)
        {
            if (result.TrainedTensors.Contains(name))
            {
                Assert.NotEqual(bytes, after[name]);
            }
            else
            {
                Assert.Equal(bytes, after[name]);
            }
        }
    }

    /// <summary>
    /// llama.cpp's training graph writes K and V into the KV cache and attention reads them back from it, with no
    /// backward pass through the write: attn_k and attn_v get no gradient. The trainer says so instead of counting them
    /// as trained. If a llama.cpp update makes them train, this test fails and the note (and docs/training.md) must go.
    /// </summary>
    [Fact]
    public void Train_AllTensors_ReportsThatKAndVGetNoGradientAndKeepTheirWeights()
    {
        var output = TrainingFixtures.TempPath("kv.gguf");
        var result = TrainingFixtures.Train(TrainingFixtures.Job(TrainingFixtures.PromptCompletionFile(), output));

        var layers = TrainableModelFile.BlockCount(GgufFile.Read(TestPaths.Stories260K));
        string[] expected = [.. Enumerable.Range(0, layers).SelectMany(i => new[] { $"blk.{i}.attn_k.weight", $"blk.{i}.attn_v.weight" })
            .Order(StringComparer.Ordinal)];
        Assert.Equal(expected, result.TensorsWithoutGradient);
        Assert.Contains(result.Notes, n => n.Contains("attn_k, attn_v", StringComparison.Ordinal) && n.Contains("no gradient", StringComparison.Ordinal));
        var before = TrainingFixtures.TensorBytes(TestPaths.Stories260K);
        var after = TrainingFixtures.TensorBytes(output);
        foreach (var name in result.TrainedTensors)
        {
            if (expected.Contains(name))
            {
                Assert.Equal(before[name], after[name]);
            }
            else
            {
                Assert.NotEqual(before[name], after[name]);
            }
        }
    }

    [Fact]
    public void Resume_AfterStopAtCheckpoint_ContinuesTheSameScheduleBitForBit()
    {
        var data = TrainingFixtures.PromptCompletionFile();
        var options = TrainingFixtures.Options() with { Epochs = 2, ValidationFraction = 0 };
        var straight = TrainingFixtures.TempPath("straight.gguf");
        var straightResult = TrainingFixtures.Train(TrainingFixtures.Job(data, straight, options));

        // The same run stopped after its first step (a checkpoint mid-epoch), then resumed twice more.
        var split = TrainingFixtures.TempPath("split.gguf");
        var first = TrainingFixtures.Train(TrainingFixtures.Job(data, split, options with { StopAfter = TimeSpan.FromTicks(1) }));
        Assert.False(first.Completed);
        Assert.Null(first.OutputPath);
        Assert.Equal(1, first.Steps);
        var rest = TrainingFixtures.Train(TrainingFixtures.Job(data, split, options) with { Resume = true });

        Assert.True(rest.Completed);
        Assert.Equal(straightResult.Steps, rest.Steps);
        Assert.Equal(File.ReadAllBytes(straight), File.ReadAllBytes(split));
        var rates = TrainingLog.ReadAll(straightResult.LogPath).Where(e => e.Type == "step").Select(e => (e.Step, e.LearningRate, e.Loss));
        var resumedRates = TrainingLog.ReadAll(rest.LogPath).Where(e => e.Type == "step").Select(e => (e.Step, e.LearningRate, e.Loss));
        Assert.Equal(rates, resumedRates);
    }

    [Fact]
    public void Cancel_MidEpoch_WritesCheckpointThatResumes()
    {
        var data = TrainingFixtures.PromptCompletionFile();
        var output = TrainingFixtures.TempPath("cancelled.gguf");
        using var cancel = new CancellationTokenSource();
        var job = TrainingFixtures.Job(data, output);
        var trainer = new LlamaTrainer();
        var run = trainer.TrainAsync(job, new InlineProgress(p =>
        {
            if (p.Phase == TrainingPhase.Training && p.Step >= 2)
            {
                cancel.Cancel();
            }
        }), cancel.Token);

        Assert.ThrowsAny<OperationCanceledException>(() => run.GetAwaiter().GetResult());
        Assert.False(File.Exists(output));
        var resumed = TrainingFixtures.Train(job with { Resume = true });
        Assert.True(resumed.Completed);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void Train_ExistingCheckpointWithoutResume_IsRefused()
    {
        var data = TrainingFixtures.PromptCompletionFile();
        var output = TrainingFixtures.TempPath("twice.gguf");
        TrainingFixtures.Train(TrainingFixtures.Job(data, output));

        var error = Assert.Throws<ArgumentException>(() => TrainingFixtures.Train(TrainingFixtures.Job(data, output)));
        Assert.Contains("holds a checkpoint", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
