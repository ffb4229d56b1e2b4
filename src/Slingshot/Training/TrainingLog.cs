using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slingshot.Training;

/// <summary>
/// One line of the trainer's JSON-lines log (<c>log.jsonl</c> in the checkpoint folder): <c>type</c> is
/// <c>start</c>, <c>step</c>, <c>validation</c> or <c>epoch</c>; the other fields are those that apply.
/// </summary>
public sealed record TrainingLogEntry
{
    /// <summary>start, step, validation or epoch.</summary>
    public required string Type { get; init; }

    /// <summary>0-based epoch; -1 for the validation before training.</summary>
    public int? Epoch { get; init; }

    /// <summary>Optimizer steps taken when the entry was written.</summary>
    public long? Step { get; init; }

    /// <summary>Loss (nats per token): the step's, the epoch's mean, or the validation loss.</summary>
    public double? Loss { get; init; }

    /// <summary>Token accuracy of the same.</summary>
    public double? Accuracy { get; init; }

    /// <summary>Validation loss after an epoch.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>Validation token accuracy after an epoch.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>The step's learning rate.</summary>
    public double? LearningRate { get; init; }

    /// <summary>L2 norm of the step's gradient, on the steps it was measured.</summary>
    public double? GradientNorm { get; init; }

    /// <summary>Training tokens per second (a step's, or an epoch's).</summary>
    public double? TokensPerSecond { get; init; }

    /// <summary>Seconds (a step's, or an epoch's training time).</summary>
    public double? Seconds { get; init; }

    /// <summary>For start entries: the run's settings and data, as text.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }
}

/// <summary>Appends <see cref="TrainingLogEntry"/> lines, flushed per line so a killed run keeps its log.</summary>
public sealed class TrainingLog : IDisposable
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly StreamWriter _writer;

    private TrainingLog(string path, StreamWriter writer)
    {
        Path = path;
        _writer = writer;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Opens the log; when resuming at <paramref name="resumeStep"/> in <paramref name="resumeEpoch"/>, entries
    /// written after that checkpoint (steps that will be taken again) are dropped first.</summary>
    internal static TrainingLog Open(string path, long? resumeStep, int resumeEpoch)
    {
        if (resumeStep is { } step && File.Exists(path))
        {
            var kept = ReadAll(path).Where(e => e.Type switch
            {
                "step" => e.Step <= step,
                "epoch" => e.Epoch < resumeEpoch,
                "validation" => e.Epoch < resumeEpoch,
                _ => true,
            }).Select(e => JsonSerializer.Serialize(e, s_json));
            File.WriteAllLines(path, kept);
        }
        else if (resumeStep is null)
        {
            File.Delete(path);
        }
        var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        return new TrainingLog(path, writer);
    }

    /// <summary>Appends one entry.</summary>
    public void Write(TrainingLogEntry entry) => _writer.WriteLine(JsonSerializer.Serialize(entry, s_json));

    /// <summary>Reads a log (lines that do not parse, such as one cut by a kill, are skipped).</summary>
    public static IReadOnlyList<TrainingLogEntry> ReadAll(string path)
    {
        var entries = new List<TrainingLogEntry>();
        foreach (var line in File.ReadLines(path))
        {
            try
            {
                if (line.Length > 0 && JsonSerializer.Deserialize<TrainingLogEntry>(line, s_json) is { } entry)
                {
                    entries.Add(entry);
                }
            }
            catch (JsonException)
            {
                // A line cut by a kill.
            }
        }
        return entries;
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
