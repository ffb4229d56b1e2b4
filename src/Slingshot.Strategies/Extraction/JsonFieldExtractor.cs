using System.Globalization;
using System.Text.Json;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// A field of the first JSON object in a sample ("json-field:answer", "json-field:result.value",
/// "json-field:items.0"), as a string: a JSON string's value, a number's or boolean's literal text, or an
/// object's or array's compact JSON. The object may sit inside prose or a fenced block.
/// </summary>
public sealed class JsonFieldExtractor : IAnswerExtractor
{
    /// <summary>The prefix of this extractor's registry names; the field path follows it.</summary>
    public const string NamePrefix = "json-field:";

    private readonly string[] _path;

    /// <summary>Creates the extractor for a dotted field path; numeric segments index arrays.</summary>
    public JsonFieldExtractor(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = path.Split('.');
        if (_path.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Field path '{path}' has an empty segment.", nameof(path));
        }
        Path = path;
    }

    /// <summary>The dotted field path.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Name => NamePrefix + Path;

    /// <inheritdoc />
    public string? Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var document = FirstObject(text);
        if (document is null)
        {
            return null;
        }

        var element = document.RootElement;
        foreach (var segment in _path)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(segment, out var child))
            {
                element = child;
            }
            else if (element.ValueKind == JsonValueKind.Array
                && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < element.GetArrayLength())
            {
                element = element[index];
            }
            else
            {
                return null;
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString()!.Trim(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.Object or JsonValueKind.Array => JsonSerializer.Serialize(element),
            _ => element.GetRawText(),
        };
    }

    /// <summary>A reference is the field's expected value as text; it is only trimmed.</summary>
    public string NormalizeReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Trim();
    }

    /// <summary>The first '{' at which a complete JSON object parses, tried left to right.</summary>
    private static JsonDocument? FirstObject(string text)
    {
        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0; start = text.IndexOf('{', start + 1))
        {
            if (JsonInText.ObjectLength(text, start) is not { } length)
            {
                continue;
            }
            try
            {
                return JsonDocument.Parse(text.AsMemory(start, length));
            }
            catch (JsonException)
            {
                // Not JSON after all (prose braces, a Python dict); try the next brace.
            }
        }
        return null;
    }
}
