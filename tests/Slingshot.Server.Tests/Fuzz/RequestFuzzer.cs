using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slingshot.Server.Tests.Fuzz;

/// <summary>One fuzzed request: method, path, content type and the raw body bytes.</summary>
public sealed record FuzzCase(int Index, HttpMethod Method, string Path, string? ContentType, byte[] Body, string Mutations)
{
    /// <summary>Enough to replay the case by hand: the body as Latin-1 (every byte visible), cut to a readable length.</summary>
    public override string ToString()
    {
        var body = Encoding.Latin1.GetString(Body);
        return $"case {Index} ({Mutations}): {Method} {Path[..Math.Min(Path.Length, 120)]} [{ContentType}] {body[..Math.Min(body.Length, 600)]}";
    }
}

/// <summary>
/// Seeded mutations of valid chat and text completion requests: fields of the wrong type, dropped or duplicated
/// fields, huge and odd numbers, invalid UTF-8 and lone surrogates in strings, truncated bodies, deep nesting,
/// unknown paths and methods. The same seed gives the same cases.
/// </summary>
public sealed class RequestFuzzer(int seed, string model)
{
    private const string Marker = "@@FUZZ-BYTES@@";
    /// <summary>Deep nesting is a mutation; the serializer's own depth limit (64) must not stop it being sent.</summary>
    private static readonly JsonSerializerOptions Deep = new() { MaxDepth = 1024 };
    private readonly Random _random = new(seed);

    private static readonly string[] HugeNumbers =
        ["1e308", "-1e308", "1e400", "9223372036854775808", "-9223372036854775809", "99999999999999999999999", "4294967295", "-1", "0", "-0", "0.5", "1.0e1", "2147483648"];

    private static readonly byte[][] InvalidText =
    [
        [0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80],
        [0xF4, 0x90, 0x80, 0x80], [0x80], [0xC3], .. new[] { @"\ud800", @"\udfff", @"\ud83d", @"\ud800\ud800", @"\u0000" }.Select(Encoding.ASCII.GetBytes),
    ];

    /// <summary>The <paramref name="index"/>th case (cases must be drawn in order for the seed to reproduce them).</summary>
    public FuzzCase Next(int index)
    {
        var (path, body) = Base();
        var mutations = new List<string>();
        // Fields written as raw text after the tree is serialized: repeated names, numbers in their exact spelling.
        var appended = new List<string>();
        byte[]? invalid = null;
        for (var count = _random.Next(1, 4); count > 0; count--)
        {
            switch (_random.Next(10))
            {
                case 0 or 1:
                    mutations.Add("type " + FlipType(body));
                    break;
                case 2:
                    mutations.Add("drop " + Drop(body));
                    break;
                case 3:
                    mutations.Add("duplicate " + Duplicate(body, appended));
                    break;
                case 4:
                    mutations.Add("number " + HugeNumber(appended));
                    break;
                case 5:
                    invalid = InvalidText[_random.Next(InvalidText.Length)];
                    mutations.Add($"text {Convert.ToHexString(invalid)} in {PlaceMarker(body)}");
                    break;
                case 6:
                    mutations.Add("nest " + Nest(body));
                    break;
                case 7:
                    body[$"unknown_{_random.Next(100)}"] = RandomValue(depth: 0);
                    mutations.Add("unknown field");
                    break;
                default:
                    mutations.Add("value " + RandomizeValue(body));
                    break;
            }
        }
        var text = body.ToJsonString(Deep);
        if (appended.Count > 0)
        {
            text = $"{text[..^1]}{(body.Count > 0 ? "," : "")}{string.Join(",", appended)}}}";
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        if (invalid is not null)
        {
            bytes = ReplaceMarker(bytes, invalid);
        }
        if (_random.Next(8) == 0)
        {
            bytes = bytes[..(_random.Next(bytes.Length))];
            mutations.Add("truncated");
        }
        var method = HttpMethod.Post;
        var contentType = _random.Next(30) == 0 ? "text/plain" : "application/json";
        switch (_random.Next(25))
        {
            case 0:
                path = "/v1/" + new string('x', _random.Next(1, 3000)) + _random.Next();
                mutations.Add("unknown path");
                break;
            case 1:
                method = HttpMethod.Get;
                mutations.Add("GET");
                break;
            case 2:
                path = "/v1/models/" + Guid.NewGuid().ToString("N");
                method = HttpMethod.Get;
                mutations.Add("model id");
                break;
        }
        return new FuzzCase(index, method, path, contentType, bytes, string.Join(", ", mutations));
    }

    private (string Path, JsonObject Body) Base()
    {
        var messages = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = "Be brief." },
            new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Once upon a time" }) });
        return _random.Next(6) switch
        {
            0 => ("/v1/chat/completions", new JsonObject { ["model"] = model, ["messages"] = messages, ["max_tokens"] = 8 }),
            1 => ("/v1/chat/completions", new JsonObject
            {
                ["model"] = model, ["messages"] = messages, ["max_tokens"] = 6, ["n"] = 2, ["stream"] = true,
                ["stream_options"] = new JsonObject { ["include_usage"] = true }, ["temperature"] = 0.8, ["seed"] = 7,
            }),
            2 => ("/v1/chat/completions", new JsonObject
            {
                ["model"] = model, ["messages"] = messages, ["max_completion_tokens"] = 4, ["logprobs"] = true, ["top_logprobs"] = 2,
                ["stop"] = new JsonArray("\n", "The"), ["presence_penalty"] = 0.5, ["frequency_penalty"] = 0.1, ["top_p"] = 0.9, ["user"] = "u",
            }),
            3 => ("/v1/chat/completions", new JsonObject
            {
                ["model"] = model, ["messages"] = messages, ["max_tokens"] = 8,
                ["response_format"] = new JsonObject { ["type"] = "json_object" },
            }),
            4 => ("/v1/completions", new JsonObject { ["model"] = model, ["prompt"] = new JsonArray("Once", "Lily"), ["max_tokens"] = 5, ["logprobs"] = 2, ["echo"] = true }),
            _ => ("/v1/completions", new JsonObject { ["model"] = model, ["prompt"] = "Once upon a time", ["max_tokens"] = 5, ["stream"] = true, ["n"] = 2 }),
        };
    }

    /// <summary>Every (container, key or index) in the tree, the root's fields included.</summary>
    private static List<(JsonNode Parent, object Key)> Slots(JsonNode node)
    {
        var slots = new List<(JsonNode, object)>();
        void Walk(JsonNode? current)
        {
            if (current is JsonObject obj)
            {
                foreach (var (key, value) in obj.ToList())
                {
                    slots.Add((obj, key));
                    Walk(value);
                }
            }
            else if (current is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, i));
                    Walk(array[i]);
                }
            }
        }
        Walk(node);
        return slots;
    }

    private (JsonNode Parent, object Key) AnySlot(JsonObject body)
    {
        var slots = Slots(body);
        return slots[_random.Next(slots.Count)];
    }

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject obj)
        {
            obj[(string)key] = value;
        }
        else
        {
            ((JsonArray)parent)[(int)key] = value;
        }
    }

    private string FlipType(JsonObject body)
    {
        var (parent, key) = AnySlot(body);
        Set(parent, key, RandomValue(depth: 0));
        return key.ToString()!;
    }

    private string Drop(JsonObject body)
    {
        var (parent, key) = AnySlot(body);
        if (parent is JsonObject obj)
        {
            obj.Remove((string)key);
        }
        else
        {
            ((JsonArray)parent).RemoveAt((int)key);
        }
        return key.ToString()!;
    }

    /// <summary>A top-level field written a second time with another value (JSON objects may repeat names; parsers differ).</summary>
    private string Duplicate(JsonObject body, List<string> appended)
    {
        var key = body.Count > 0 ? body.ElementAt(_random.Next(body.Count)).Key : "model";
        var value = _random.Next(2) == 0 ? RandomValue(depth: 0) : body[key]?.DeepClone();
        appended.Add($"\"{key}\":{value?.ToJsonString(Deep) ?? "null"}");
        return key;
    }

    /// <summary>A numeric field with a huge or odd value, spelled exactly (1e400, -0, 2^63).</summary>
    private string HugeNumber(List<string> appended)
    {
        string[] fields = ["max_tokens", "max_completion_tokens", "n", "temperature", "top_p", "seed", "top_logprobs", "logprobs", "presence_penalty"];
        var field = fields[_random.Next(fields.Length)];
        var number = HugeNumbers[_random.Next(HugeNumbers.Length)];
        appended.Add($"\"{field}\":{number}");
        return $"{field}={number}";
    }

    private string PlaceMarker(JsonObject body)
    {
        var strings = Slots(body).Where(s => (s.Parent is JsonObject o ? o[(string)s.Key] : ((JsonArray)s.Parent)[(int)s.Key]) is JsonValue v
            && v.GetValueKind() == JsonValueKind.String).ToList();
        if (strings.Count == 0)
        {
            body["model"] = Marker;
            return "model";
        }
        var (parent, key) = strings[_random.Next(strings.Count)];
        Set(parent, key, "a" + Marker + "b");
        return key.ToString()!;
    }

    private static byte[] ReplaceMarker(byte[] bytes, byte[] replacement)
    {
        var marker = Encoding.ASCII.GetBytes(Marker);
        var at = bytes.AsSpan().IndexOf(marker);
        return at < 0 ? bytes : [.. bytes[..at], .. replacement, .. bytes[(at + marker.Length)..]];
    }

    private string Nest(JsonObject body)
    {
        var (parent, key) = AnySlot(body);
        var depth = _random.Next(10, 200);
        JsonNode nested = new JsonArray();
        for (var i = 0; i < depth; i++)
        {
            nested = _random.Next(2) == 0 ? new JsonArray(nested) : new JsonObject { ["x"] = nested };
        }
        Set(parent, key, nested);
        return $"{key} depth {depth}";
    }

    private string RandomizeValue(JsonObject body)
    {
        var (parent, key) = AnySlot(body);
        var current = parent is JsonObject o ? o[(string)key] : ((JsonArray)parent)[(int)key];
        JsonNode? value = current is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? RandomString()
            : current is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? JsonValue.Create(_random.Next(-5, 70)) : RandomValue(depth: 0);
        Set(parent, key, value);
        return key.ToString()!;
    }

    private string RandomString() => _random.Next(6) switch
    {
        0 => "",
        1 => new string('a', _random.Next(1, 20_000)),
        2 => "<|im_start|>assistant\n<|im_end|></s><s>",
        3 => "ünïcödé 😀 \u2028 \u0000 \t",
        4 => "gibberish-" + _random.Next(),
        _ => "system",
    };

    private JsonNode? RandomValue(int depth) => _random.Next(depth > 2 ? 6 : 8) switch
    {
        0 => null,
        1 => JsonValue.Create(_random.Next(2) == 0),
        2 => JsonValue.Create(_random.Next(-1000, 1000)),
        3 => JsonValue.Create(_random.NextDouble() * 1e6),
        4 => RandomString(),
        5 => JsonValue.Create(long.MaxValue),
        6 => new JsonArray(RandomValue(depth + 1), RandomValue(depth + 1)),
        _ => new JsonObject { ["role"] = "user", ["content"] = RandomValue(depth + 1), ["type"] = "text" },
    };
}
