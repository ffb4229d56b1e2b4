using System.Text.Json;

namespace Slingshot;

/// <summary>
/// Which JSON-schema keywords llama.cpp's schema-to-grammar converter (common/json-schema.cpp) enforces, and where:
/// it reads some keywords only in some places (bounds only on integers, lengths only on strings without a pattern or
/// format, <c>allOf</c> only on property-less objects and strings, nothing beside <c>$ref</c> or <c>anyOf</c>) and
/// quietly drops the rest. Walking the schema first turns every such keyword into a one-line error naming it and its
/// place, so a grammar never promises a shape it does not enforce.
/// </summary>
internal static class JsonSchemaSupport
{
    /// <summary>Keywords that only describe (never constrain) a value.</summary>
    private static readonly HashSet<string> s_annotations =
        ["title", "description", "default", "examples", "$schema", "$id", "$comment", "deprecated", "readOnly", "writeOnly", "strict"];

    private static readonly HashSet<string> s_enforced =
    [
        "type", "properties", "required", "additionalProperties", "items", "prefixItems", "minItems", "maxItems",
        "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "$defs", "definitions",
        "pattern", "format", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    ];

    private static readonly HashSet<string> s_formats = ["date", "time", "date-time", "uuid", "uuid1", "uuid2", "uuid3", "uuid4", "uuid5"];

    /// <summary>The keywords a schema may use (where each applies: the class summary).</summary>
    public static IReadOnlyCollection<string> EnforcedKeywords => s_enforced;

    /// <summary>Refuses the first keyword llama.cpp would not enforce where it stands; returns every <c>pattern</c>.</summary>
    /// <exception cref="ArgumentException">One line naming the keyword and its JSON-pointer place.</exception>
    public static IReadOnlyList<(string Pattern, string Path)> Check(JsonElement schema)
    {
        var patterns = new List<(string, string)>();
        Visit(schema, "#", patterns);
        return patterns;
    }

    private static void Visit(JsonElement schema, string path, List<(string, string)> patterns)
    {
        if (schema.ValueKind is JsonValueKind.True)
        {
            return;
        }
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"JSON schema at {path} must be an object.");
        }
        var keywords = schema.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var keyword in keywords.Where(k => !s_enforced.Contains(k) && !s_annotations.Contains(k)))
        {
            throw new ArgumentException($"JSON schema keyword '{keyword}' at {path} is not supported: the grammar cannot enforce it.");
        }

        var constraints = keywords.Where(k => !s_annotations.Contains(k) && k is not ("$defs" or "definitions")).ToList();
        foreach (var exclusive in new[] { "$ref", "anyOf", "oneOf" })
        {
            if (keywords.Contains(exclusive) && constraints.FirstOrDefault(k => k != exclusive) is { } beside)
            {
                throw new ArgumentException($"JSON schema keyword '{beside}' at {path} is not enforced beside '{exclusive}'; move it into the alternatives or the referenced schema.");
            }
        }

        var types = TypesOf(schema, path);
        CheckNumericBounds(schema, keywords, types, path);
        CheckStringKeywords(schema, keywords, path, patterns);
        CheckAllOf(schema, keywords, types, path);

        foreach (var container in new[] { "$defs", "definitions", "properties" })
        {
            if (schema.TryGetProperty(container, out var members) && members.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in members.EnumerateObject())
                {
                    Visit(member.Value, $"{path}/{container}/{member.Name}", patterns);
                }
            }
        }
        foreach (var list in new[] { "anyOf", "oneOf", "allOf", "prefixItems", "items" })
        {
            if (schema.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in items.EnumerateArray())
                {
                    Visit(item, $"{path}/{list}/{i++}", patterns);
                }
            }
        }
        foreach (var single in new[] { "items", "additionalProperties" })
        {
            if (schema.TryGetProperty(single, out var item) && item.ValueKind == JsonValueKind.Object)
            {
                Visit(item, $"{path}/{single}", patterns);
            }
        }
    }

    private static HashSet<string> TypesOf(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return [];
        }
        return type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array => type.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? t.GetString()! : "").ToHashSet(),
            _ => throw new ArgumentException($"JSON schema keyword 'type' at {path} must be a string or an array of strings."),
        };
    }

    private static void CheckNumericBounds(JsonElement schema, HashSet<string> keywords, HashSet<string> types, string path)
    {
        string[] bounds = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"];
        if (bounds.FirstOrDefault(keywords.Contains) is { } bound && !(types.Contains("integer") && !types.Contains("number")))
        {
            throw new ArgumentException($"JSON schema keyword '{bound}' at {path} is enforced only on \"type\": \"integer\" (llama.cpp's grammar cannot bound other numbers).");
        }
        foreach (var (inclusive, exclusive) in new[] { ("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum") })
        {
            if (keywords.Contains(inclusive) && keywords.Contains(exclusive))
            {
                throw new ArgumentException($"JSON schema keyword '{exclusive}' at {path} is not enforced beside '{inclusive}'; give one of them.");
            }
        }
    }

    private static void CheckStringKeywords(JsonElement schema, HashSet<string> keywords, string path, List<(string, string)> patterns)
    {
        if (schema.TryGetProperty("format", out var format)
            && (format.ValueKind != JsonValueKind.String || !s_formats.Contains(format.GetString()!)))
        {
            throw new ArgumentException($"JSON schema format '{format}' at {path} is not supported; the grammar enforces date, time, date-time and uuid.");
        }
        // The converter takes a pattern over a format over lengths, and ignores the ones it does not take.
        var shape = keywords.Contains("pattern") ? "pattern" : keywords.Contains("format") ? "format" : null;
        if (shape is not null && new[] { "format", "minLength", "maxLength" }.FirstOrDefault(k => k != shape && keywords.Contains(k)) is { } ignored)
        {
            throw new ArgumentException($"JSON schema keyword '{ignored}' at {path} is not enforced beside '{shape}'; give one of them.");
        }
        if (schema.TryGetProperty("pattern", out var pattern))
        {
            if (pattern.ValueKind != JsonValueKind.String)
            {
                throw new ArgumentException($"JSON schema keyword 'pattern' at {path} must be a string.");
            }
            patterns.Add((pattern.GetString()!, path));
        }
    }

    private static void CheckAllOf(JsonElement schema, HashSet<string> keywords, HashSet<string> types, string path)
    {
        if (!keywords.Contains("allOf"))
        {
            return;
        }
        var hasProperties = keywords.Contains("properties")
            || (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind != JsonValueKind.True);
        var usable = !hasProperties && (types.Count == 0 || types.SetEquals(["object"]) || types.SetEquals(["string"]));
        if (!usable)
        {
            throw new ArgumentException($"JSON schema keyword 'allOf' at {path} is enforced only on its own or on a string or property-less object schema.");
        }
    }
}
