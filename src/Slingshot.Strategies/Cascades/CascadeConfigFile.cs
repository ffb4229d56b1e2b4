using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slingshot.Strategies.Cascades;

/// <summary>Reads and writes <see cref="CascadeConfig"/> JSON files (camelCase; comments and trailing commas allowed when reading).</summary>
public static class CascadeConfigFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Loads and validates the config at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The file is missing, not JSON of a cascade config, or not a usable cascade.</exception>
    public static CascadeConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"Cascade config '{path}' does not exist (write one with 'slingshot cascade calibrate').");
        }
        CascadeConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<CascadeConfig>(File.ReadAllText(path), Options);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Cascade config '{path}' is not valid JSON: {ex.Message}", ex);
        }
        if (config is null)
        {
            throw new ArgumentException($"Cascade config '{path}' is empty.");
        }
        try
        {
            config.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Cascade config '{path}': {ex.Message}", ex);
        }
        return config;
    }

    /// <summary>The JSON text of <paramref name="config"/>.</summary>
    public static string Serialize(CascadeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, Options);
    }

    /// <summary>Validates <paramref name="config"/> and writes it to <paramref name="path"/>.</summary>
    public static void Save(string path, CascadeConfig config)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        File.WriteAllText(path, Serialize(config) + Environment.NewLine);
    }
}
