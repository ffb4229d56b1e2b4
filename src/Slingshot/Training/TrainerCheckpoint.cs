using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slingshot.Training;

/// <summary>
/// The trainer's position, written as <c>state.json</c> beside the checkpoint's model and optimizer files: which
/// epoch and window come next, the step (the schedule's position), the best validation so far, and the settings
/// that define the run, so a resume with different data or options is refused instead of silently diverging.
/// </summary>
internal sealed record TrainerState
{
    public int Version { get; init; } = 1;
    public required string Identity { get; init; }
    public required int Epoch { get; init; }
    public required int WindowInEpoch { get; init; }
    public required long Step { get; init; }
    public required long TotalSteps { get; init; }
    public required string ModelFile { get; init; }
    public string? OptimizerFile { get; init; }
    public double? BestValidationLoss { get; init; }
    public int? BestEpoch { get; init; }
    public int EpochsWithoutImprovement { get; init; }
    public ValidationResult? InitialValidation { get; init; }
    public List<EpochSummary> Epochs { get; init; } = [];
    public double EpochLossSum { get; init; }
    public double EpochAccuracySum { get; init; }
    public double EpochSeconds { get; init; }
    public bool Finished { get; init; }
}

/// <summary>
/// Reads and writes checkpoints so that a kill at any moment leaves the last complete one: each generation's
/// model and optimizer files get new names, <c>state.json</c> (naming them) is replaced atomically last, and the
/// previous generation's files are deleted only after that.
/// </summary>
internal static class TrainerCheckpoint
{
    public const string StateFile = "state.json";
    public const string BestModelFile = "best.gguf";

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static TrainerState? Read(string directory)
    {
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), s_json)
                ?? throw new FormatException("empty");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or NotSupportedException)
        {
            throw new FormatException($"Checkpoint '{path}' cannot be read ({ex.Message.Split('.')[0]}); remove the folder to start anew.");
        }
    }

    /// <summary>Writes a checkpoint generation: the model (by <paramref name="writeModel"/>), the optimizer state, then the state file.</summary>
    public static TrainerState Write(string directory, TrainerState state, Action<string> writeModel, OptimizerSnapshot? optimizer, TrainerState? previous)
    {
        Directory.CreateDirectory(directory);
        var model = $"model-{state.Step}.gguf";
        writeModel(Path.Combine(directory, model));
        string? optimizerFile = null;
        if (optimizer is not null)
        {
            optimizerFile = $"optimizer-{state.Step}.bin";
            OptimizerFile.Write(Path.Combine(directory, optimizerFile), optimizer);
        }
        var written = state with { ModelFile = model, OptimizerFile = optimizerFile };
        var temporary = Path.Combine(directory, StateFile + ".partial");
        File.WriteAllText(temporary, JsonSerializer.Serialize(written, s_json));
        File.Move(temporary, Path.Combine(directory, StateFile), overwrite: true);
        if (previous is not null)
        {
            foreach (var old in new[] { previous.ModelFile, previous.OptimizerFile })
            {
                if (old is not null && old != model && old != optimizerFile)
                {
                    File.Delete(Path.Combine(directory, old));
                }
            }
        }
        return written;
    }
}

/// <summary>The binary file of an <see cref="OptimizerSnapshot"/>: magic, iteration, then per tensor its name and moments.</summary>
internal static class OptimizerFile
{
    private const uint Magic = 0x54504F53; // "SOPT"

    public static void Write(string path, OptimizerSnapshot snapshot)
    {
        var temporary = path + ".partial";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(snapshot.Iteration);
            writer.Write(snapshot.Moments.Count);
            foreach (var (name, (first, second)) in snapshot.Moments.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.Write(name);
                writer.Write(first.Length);
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(first.AsSpan()));
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(second.AsSpan()));
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static OptimizerSnapshot Read(string path)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadUInt32() != Magic)
            {
                throw new FormatException("not an optimizer state file");
            }
            var iteration = reader.ReadInt64();
            var count = reader.ReadInt32();
            var moments = new Dictionary<string, (float[], float[])>(StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var length = reader.ReadInt32();
                var first = new float[length];
                var second = new float[length];
                reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(first.AsSpan()));
                reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(second.AsSpan()));
                moments[name] = (first, second);
            }
            return new OptimizerSnapshot(iteration, moments);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException)
        {
            throw new FormatException($"Optimizer state '{path}' cannot be read ({ex.Message}); remove the checkpoint folder to start anew.");
        }
    }
}
