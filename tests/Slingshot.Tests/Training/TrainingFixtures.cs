using Slingshot.Gguf;
using Slingshot.Training;

namespace Slingshot.Tests.Training;

/// <summary>Small data and jobs for training tests: stories260K (F32, 512 tokens) on a few hundred short lines,
/// windows of 256 tokens, so a step takes tens of milliseconds on two cores.</summary>
internal static class TrainingFixtures
{
    /// <summary>A JSONL file of <paramref name="count"/> prompt/completion pairs that a model can learn quickly.</summary>
    public static string PromptCompletionFile(int count = 300, string? name = null)
    {
        var path = TempPath(name ?? $"pairs-{count}.jsonl");
        var lines = Enumerable.Range(0, count).Select(i =>
            $"{{\"prompt\": \"Tom has {i % 10} red balls.\", \"completion\": \" The answer is {i % 10}.\"}}");
        File.WriteAllLines(path, lines);
        return path;
    }

    public static TrainingJob Job(string data, string output, TrainingOptions? options = null, string? model = null) => new()
    {
        ModelPath = model ?? TestPaths.Stories260K,
        OutputPath = output,
        Data = new TrainingDataFile(data),
        Options = options ?? Options(),
        CheckpointDirectory = output + ".train",
    };

    public static TrainingOptions Options() => new()
    {
        ContextSize = 256,
        Epochs = 1,
        LearningRate = 1e-3,
        Threads = Math.Min(2, LlamaRuntime.DefaultThreads),
        ValidationFraction = 0.1,
        GradientNormInterval = 1,
    };

    public static string TempPath(string name)
    {
        var dir = Directory.CreateTempSubdirectory("slingshot-train-").FullName;
        return Path.Combine(dir, name);
    }

    /// <summary>The bytes of every tensor of a GGUF, by name.</summary>
    public static Dictionary<string, byte[]> TensorBytes(string path)
    {
        var file = GgufFile.Read(path);
        using var stream = File.OpenRead(path);
        return file.Tensors.ToDictionary(t => t.Name, t =>
        {
            var bytes = new byte[t.ByteSize];
            stream.Position = file.DataOffset + (long)t.Offset;
            stream.ReadExactly(bytes);
            return bytes;
        });
    }

    public static TrainingResult Train(TrainingJob job, CancellationToken cancellationToken = default) =>
        new LlamaTrainer().TrainAsync(job, cancellationToken: cancellationToken).GetAwaiter().GetResult();
}
