using System.Text.Json;

namespace Slingshot.Server.OpenAi;

/// <summary>Reads typed fields from a request body, each failure a 400 naming the field (unknown fields are ignored, as OpenAI does).</summary>
internal static class JsonFields
{
    public static string? String(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Type(name, "a string");
    }

    public static double? Number(JsonElement body, string name, double min, double max)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw Type(name, "a number");
        }
        return number >= min && number <= max
            ? number
            : throw ApiException.BadField(name, $"'{name}' must be between {min} and {max} (got {number}).");
    }

    public static int? Integer(JsonElement body, string name, long min, long max)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw Type(name, "an integer");
        }
        return number >= min && number <= max
            ? (int)number
            : throw ApiException.BadField(name, $"'{name}' must be between {min} and {max} (got {number}).");
    }

    public static long? Long(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : throw Type(name, "an integer");
    }

    public static bool? Bool(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Type(name, "a boolean"),
        };
    }

    /// <summary>"stop": a string or an array of up to 4 strings.</summary>
    public static IReadOnlyList<string> Stop(JsonElement body)
    {
        if (!body.TryGetProperty("stop", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Type("stop", "a string or an array of strings");
        }
        var stops = value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Type("stop", "a string or an array of strings")).ToList();
        return stops.Count <= 4 ? stops : throw ApiException.BadField("stop", "'stop' takes at most 4 sequences.");
    }

    private static ApiException Type(string name, string expected) =>
        new(400, $"Invalid type for '{name}': expected {expected}.", param: name, code: "invalid_type");
}
