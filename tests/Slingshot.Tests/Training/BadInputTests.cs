using Slingshot.Tests.Support;
using Slingshot.Training;

namespace Slingshot.Tests.Training;

/// <summary>
/// Every input llama.cpp's training code asserts on (which would end the process) is refused in managed code with
/// a one-line error before it reaches native code. Running these in the test process is the proof that nothing aborts.
/// </summary>
public sealed class TrainingBadInputTests
{
    public static TheoryData<string, Func<TrainingOptions, TrainingOptions>, string> BadOptions => new()
    {
        { "context not a multiple of 256", o => o with { ContextSize = 300 }, "multiple of 256" },
        { "context below 256", o => o with { ContextSize = 128 }, "multiple of 256" },
        { "micro-batch not dividing the context", o => o with { MicroBatchSize = 100 }, "must divide" },
        { "learning rate 0", o => o with { LearningRate = 0 }, "learning rate must be above 0" },
        { "negative learning rate", o => o with { LearningRate = -1e-3 }, "learning rate must be above 0" },
        { "minimum rate 0", o => o with { MinLearningRate = 0 }, "minimum learning rate" },
        { "beta1 above 1", o => o with { Beta1 = 1.5 }, "beta1" },
        { "beta2 negative", o => o with { Beta2 = -0.1 }, "beta2" },
        { "weight decay above 1", o => o with { WeightDecay = 2 }, "weight decay" },
        { "no epochs", o => o with { Epochs = 0 }, "epochs" },
        { "more threads than cores", o => o with { Threads = LlamaRuntime.DefaultThreads + 1 }, "cores" },
        { "validation share above half", o => o with { ValidationFraction = 0.9 }, "validation fraction" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Train_BadOption_OneLineError(string what, Func<TrainingOptions, TrainingOptions> change, string expected)
    {
        var job = TrainingFixtures.Job(TrainingFixtures.PromptCompletionFile(), TrainingFixtures.TempPath("bad.gguf"), change(TrainingFixtures.Options()));

        var error = Assert.Throws<ArgumentException>(() => TrainingFixtures.Train(job));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(string.IsNullOrWhiteSpace(what));
    }

    [Fact]
    public void Train_EmptyDataset_OneLineError()
    {
        var data = TrainingFixtures.TempPath("empty.jsonl");
        File.WriteAllText(data, "\n\n");

        var error = Assert.Throws<ArgumentException>(() => TrainingFixtures.Train(TrainingFixtures.Job(data, data + ".gguf")));

        Assert.Contains("no training examples", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_FewerTokensThanOneWindow_OneLineError()
    {
        var data = TrainingFixtures.PromptCompletionFile(count: 5, name: "tiny.jsonl");

        var error = Assert.Throws<ArgumentException>(() => TrainingFixtures.Train(TrainingFixtures.Job(data, data + ".gguf")));

        Assert.Contains("fewer than one window of 257", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_QuantizedModel_RefusedWithReason()
    {
        var data = TrainingFixtures.PromptCompletionFile();

        var error = Assert.Throws<ArgumentException>(() => TrainingFixtures.Train(TrainingFixtures.Job(data, data + ".gguf", model: GeneratedModels.TinyQ8)));

        Assert.Contains("is quantized (Q8_0", error.Message, StringComparison.Ordinal);
        Assert.Contains("quantize the result afterwards", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SelectionMatchingNoTensor_OneLineError()
    {
        var options = TrainingFixtures.Options() with { Trainable = TensorSelection.Parse("blk.99.*") };
        var data = TrainingFixtures.PromptCompletionFile();

        var error = Assert.Throws<ArgumentException>(() => TrainingFixtures.Train(TrainingFixtures.Job(data, data + ".gguf", options)));

        Assert.Contains("No tensor", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Train_MalformedJsonLine_NamesFileAndLine()
    {
        var data = TrainingFixtures.TempPath("broken.jsonl");
        File.WriteAllLines(data, ["{\"text\": \"fine\"}", "{\"prompt\": 3}"]);

        var error = Assert.Throws<FormatException>(() => TrainingFixtures.Train(TrainingFixtures.Job(data, data + ".gguf")));

        Assert.StartsWith("broken.jsonl:2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_TokenOutsideVocabulary_RefusedBeforeNativeCode()
    {
        using var model = LlamaModel.Load(TestPaths.Stories260K, new ModelOptions { UseMemoryMap = false });
        using var session = new TrainingSession(model, TrainingFixtures.Options(), blockCount: 5);
        var window = new int[257];
        window[100] = 512;

        var error = Assert.Throws<ArgumentException>(() => session.Train(window, measureGradientNorm: false));

        Assert.Contains("outside the model's vocabulary of 512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_WindowOfWrongLength_RefusedBeforeNativeCode()
    {
        using var model = LlamaModel.Load(TestPaths.Stories260K, new ModelOptions { UseMemoryMap = false });
        using var session = new TrainingSession(model, TrainingFixtures.Options(), blockCount: 5);

        var error = Assert.Throws<ArgumentException>(() => session.Evaluate(new int[256]));

        Assert.Contains("holds 257 tokens", error.Message, StringComparison.Ordinal);
    }
}
