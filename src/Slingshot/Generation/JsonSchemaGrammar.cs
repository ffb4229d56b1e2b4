using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Slingshot;

/// <summary>
/// Turns a JSON schema into a GBNF grammar, so sampling can only produce JSON of that shape (OpenAI's
/// <c>response_format: json_schema</c>). Supported: <c>type</c> object (its <c>properties</c>, written in the order
/// given; <c>required</c> ones always, the others not at all), array (<c>items</c>, <c>minItems</c>/<c>maxItems</c> up to
/// 8), string, number, integer, boolean, null, a list of types, <c>enum</c>, <c>const</c>, <c>anyOf</c>/<c>oneOf</c>.
/// Anything a grammar cannot enforce here (<c>$ref</c>, <c>pattern</c>, <c>format</c>, numeric bounds, ...) is refused
/// with an <see cref="ArgumentException"/> naming the keyword, rather than silently ignored.
/// </summary>
public static class JsonSchemaGrammar
{
    private static readonly HashSet<string> Ignored = ["title", "description", "$schema", "$id", "examples", "default", "additionalProperties", "strict", "$comment"];
    private static readonly HashSet<string> Known = ["type", "properties", "required", "items", "enum", "const", "anyOf", "oneOf", "minItems", "maxItems"];

    /// <summary>The grammar for <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentException">The schema uses a keyword the grammar cannot enforce, or is malformed.</exception>
    public static string FromSchema(JsonElement schema)
    {
        var rules = new List<string>();
        var root = Rule(schema, "root", rules, "schema");
        var text = new StringBuilder();
        text.Append("root ::= ").Append(root).Append('\n');
        foreach (var rule in rules)
        {
            text.Append(rule).Append('\n');
        }
        text.Append(Grammars.JsonPrimitives);
        return text.ToString();
    }

    private static string Rule(JsonElement schema, string name, List<string> rules, string path)
    {
        if (schema.ValueKind == JsonValueKind.True || (schema.ValueKind == JsonValueKind.Object && !schema.EnumerateObject().Any()))
        {
            return "value";
        }
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"JSON schema at {path} must be an object.");
        }
        foreach (var keyword in schema.EnumerateObject().Select(p => p.Name))
        {
            if (!Known.Contains(keyword) && !Ignored.Contains(keyword))
            {
                throw new ArgumentException($"JSON schema keyword '{keyword}' at {path} cannot be enforced by a grammar.");
            }
        }
        if (schema.TryGetProperty("const", out var constant))
        {
            return Literal(constant);
        }
        if (schema.TryGetProperty("enum", out var options))
        {
            return options.ValueKind == JsonValueKind.Array && options.GetArrayLength() > 0
                ? "(" + string.Join(" | ", options.EnumerateArray().Select(Literal)) + ")"
                : throw new ArgumentException($"'enum' at {path} must be a non-empty array.");
        }
        foreach (var key in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(key, out var alternatives))
            {
                return "(" + string.Join(" | ", alternatives.EnumerateArray().Select((a, i) => Rule(a, $"{name}-{i}", rules, $"{path}.{key}[{i}]"))) + ")";
            }
        }
        if (!schema.TryGetProperty("type", out var type))
        {
            return "value";
        }
        if (type.ValueKind == JsonValueKind.Array)
        {
            return "(" + string.Join(" | ", type.EnumerateArray().Select(t => Typed(t.GetString(), schema, name, rules, path))) + ")";
        }
        return Typed(type.GetString(), schema, name, rules, path);
    }

    private static string Typed(string? type, JsonElement schema, string name, List<string> rules, string path) => type switch
    {
        "string" => "string",
        "number" => "number",
        "integer" => "integer",
        "boolean" => "(\"true\" | \"false\") ws",
        "null" => "\"null\" ws",
        "object" => Object(schema, name, rules, path),
        "array" => Array(schema, name, rules, path),
        _ => throw new ArgumentException($"JSON schema type '{type}' at {path} is not supported."),
    };

    private static string Object(JsonElement schema, string name, List<string> rules, string path)
    {
        if (!schema.TryGetProperty("properties", out var properties) || !properties.EnumerateObject().Any())
        {
            return "object";
        }
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()).ToHashSet() : [];
        var members = properties.EnumerateObject().Where(p => required.Contains(p.Name)).ToList();
        var parts = members.Select((p, i) =>
        {
            var rule = $"{name}-{Sanitize(p.Name)}";
            rules.Add($"{rule} ::= {Rule(p.Value, rule, rules, $"{path}.{p.Name}")}");
            return $"{Quote(JsonSerializer.Serialize(p.Name))} ws \":\" ws {rule}";
        });
        var body = string.Join(" \",\" ws ", parts);
        var ruleName = name + "-object";
        rules.Add($"{ruleName} ::= \"{{\" ws {(body.Length == 0 ? "" : body + " ")}\"}}\" ws");
        return ruleName;
    }

    private static string Array(JsonElement schema, string name, List<string> rules, string path)
    {
        var item = schema.TryGetProperty("items", out var items) ? Rule(items, name + "-item", rules, path + ".items") : "value";
        var min = schema.TryGetProperty("minItems", out var mn) ? mn.GetInt32() : 0;
        var max = schema.TryGetProperty("maxItems", out var mx) ? mx.GetInt32() : -1;
        if (min < 0 || min > 8 || max > 8 || (max >= 0 && max < min))
        {
            throw new ArgumentException($"Array bounds at {path} must satisfy 0 <= minItems <= maxItems <= 8 to be enforced by a grammar.");
        }
        var ruleName = name + "-array";
        var tail = max < 0 ? $"(\",\" ws {item})*" : string.Concat(Enumerable.Repeat($"(\",\" ws {item})?", Math.Max(0, max - Math.Max(min, 1))));
        var head = min <= 1 ? item : string.Join(" \",\" ws ", Enumerable.Repeat(item, min));
        var list = $"{head} {tail}".Trim();
        rules.Add(min == 0 ? $"{ruleName} ::= \"[\" ws ({list})? \"]\" ws" : $"{ruleName} ::= \"[\" ws {list} \"]\" ws");
        return ruleName;
    }

    private static string Literal(JsonElement value) => Quote(JsonSerializer.Serialize(value)) + " ws";

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Sanitize(string name)
    {
        var clean = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
        return clean.Length == 0 ? "p" + name.GetHashCode(StringComparison.Ordinal).ToString("x", CultureInfo.InvariantCulture) : clean;
    }
}
