using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slingshot.Strategies.Routing;

/// <summary>
/// A trained router as written to disk (JSON): the feature settings, the classifier's weights, and the threshold
/// calibrated to a target share of large-model calls. The classifier predicts P(the small tier fails); a prompt
/// whose score is at or above <see cref="Threshold"/> goes to the large tier.
/// </summary>
public sealed record RouterFile
{
    /// <summary>The format tag every router file carries.</summary>
    public const string CurrentFormat = "slingshot-router/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Format tag; files of another format are refused.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>The features the weights were trained on.</summary>
    public required PromptFeatureOptions Features { get; init; }

    /// <summary>One weight per feature.</summary>
    public required float[] Weights { get; init; }

    /// <summary>The classifier's intercept.</summary>
    public double Bias { get; init; }

    /// <summary>Scores at or above this go to the large tier.</summary>
    public double Threshold { get; init; }

    /// <summary>Share of large-tier calls the threshold was calibrated to, on the training prompts.</summary>
    public double TargetLargeShare { get; init; }

    /// <summary>Where the training data came from (for people reading the file).</summary>
    public string? TrainedOn { get; init; }

    /// <summary>Number of training examples.</summary>
    public int TrainingExamples { get; init; }

    /// <summary>Share of the data held out from training (by <c>RoutingSplit</c>), so evaluation can use the same split.</summary>
    public double? HeldOutFraction { get; init; }

    /// <summary>Seed of that split.</summary>
    public int SplitSeed { get; init; }

    /// <summary>Writes the file.</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }

    /// <summary>Reads and checks a router file; a missing, malformed or inconsistent file is one <see cref="InvalidDataException"/> saying why.</summary>
    public static RouterFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Router file not found: {path}");
        }
        RouterFile? file;
        try
        {
            file = JsonSerializer.Deserialize<RouterFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a router file: {ex.Message}", ex);
        }
        if (file is null || file.Format != CurrentFormat)
        {
            throw new InvalidDataException($"{path} is not a router file (expected format '{CurrentFormat}', got '{file?.Format}').");
        }
        try
        {
            file.Features.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
        if (file.Weights.Length != file.Features.Dimensions)
        {
            throw new InvalidDataException($"{path}: {file.Weights.Length} weights for {file.Features.Dimensions} features.");
        }
        return file;
    }
}
