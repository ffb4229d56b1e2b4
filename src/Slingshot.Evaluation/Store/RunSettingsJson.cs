using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Store;

/// <summary>How run settings are written to the store, and which of them make a run what it is.</summary>
public static class RunSettingsJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Settings as JSON.</summary>
    public static string Serialize(RunSettings settings) => JsonSerializer.Serialize(settings, Options);

    /// <summary>Settings from JSON.</summary>
    public static RunSettings Deserialize(string json) =>
        JsonSerializer.Deserialize<RunSettings>(json, Options) ?? throw new StoreException("A run's settings in the store are empty.");

    /// <summary>
    /// What differs between two settings in a way that makes their samples incomparable (model, task version,
    /// temperature, top-p, max tokens, seed), as "temperature 0.6 (asked 0.8)"; null when they may share a run.
    /// Sample count and limit may differ: raising them extends the run.
    /// </summary>
    public static string? IdentityDifference(RunSettings stored, RunSettings asked)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(asked);
        (string Name, object Stored, object Asked)[] fields =
        [
            ("model", stored.Model, asked.Model),
            ("model fingerprint", stored.ModelFingerprint ?? "none", asked.ModelFingerprint ?? "none"),
            ("task", stored.Task, asked.Task),
            ("task version", stored.TaskVersion, asked.TaskVersion),
            ("temperature", stored.Temperature, asked.Temperature),
            ("top-p", stored.TopP, asked.TopP),
            ("max tokens", stored.MaxTokens, asked.MaxTokens),
            ("seed", stored.Seed, asked.Seed),
        ];
        foreach (var (name, s, a) in fields)
        {
            if (!Equals(s, a))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{name} {s} (asked {a})");
            }
        }
        return null;
    }

    /// <summary>
    /// A run id derived from the settings that define a run, so the same command resumes its run and a larger
    /// k or limit extends it: "gsm8k-stories260K-t0.6-p1-m256-s1".
    /// </summary>
    public static string DefaultRunId(RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var model = string.Concat(settings.Model.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_'));
        var task = settings.Task.Replace(':', '.');
        var fingerprint = settings.ModelFingerprint is { } f ? $"-{f}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{task}-{model}{fingerprint}-t{settings.Temperature:0.###}-p{settings.TopP:0.###}-m{settings.MaxTokens}-s{settings.Seed}");
    }
}
