using System.Text.Json;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>Locates and reads benchmark data files, failing in one line that names the missing path.</summary>
internal static class DatasetFiles
{
    /// <summary>The path of a data file under <paramref name="root"/>, which must exist.</summary>
    public static string Require(string root, params string[] parts)
    {
        var path = Path.GetFullPath(Path.Combine([root, .. parts]));
        if (!File.Exists(path))
        {
            throw new SlingshotException($"Benchmark data file not found: {path}");
        }
        return path;
    }

    /// <summary>The path of a data folder under <paramref name="root"/>, which must exist.</summary>
    public static string RequireDirectory(string root, params string[] parts)
    {
        var path = Path.GetFullPath(Path.Combine([root, .. parts]));
        if (!Directory.Exists(path))
        {
            throw new SlingshotException($"Benchmark data folder not found: {path}");
        }
        return path;
    }

    /// <summary>Each non-blank line of a JSON Lines file as a JSON value.</summary>
    public static IReadOnlyList<JsonElement> ReadJsonLines(string path) => ReadJsonLines(File.OpenRead(path), path);

    /// <summary>Each non-blank line of a JSON Lines stream as a JSON value; the stream is disposed.</summary>
    public static IReadOnlyList<JsonElement> ReadJsonLines(Stream stream, string path)
    {
        var elements = new List<JsonElement>();
        using var reader = new StreamReader(stream);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                using var document = JsonDocument.Parse(line);
                elements.Add(document.RootElement.Clone());
            }
            catch (JsonException error)
            {
                throw new SlingshotException($"{path}: line {lineNumber} is not valid JSON ({error.Message})", error);
            }
        }
        return elements;
    }

    /// <summary>A whole JSON file as one value.</summary>
    public static JsonElement ReadJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw new SlingshotException($"{path}: not valid JSON ({error.Message})", error);
        }
    }

    /// <summary>A string property, or a number's or boolean's literal text; fails naming the file when missing.</summary>
    public static string Text(JsonElement element, string property, string path)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            throw new SlingshotException($"{path}: a record has no '{property}' field.");
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }
}
