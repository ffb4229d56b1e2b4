using System.Text.Json;

namespace Slingshot.Training;

/// <summary>
/// A training data file. By extension: <c>.txt</c> (and anything not JSONL) is plain text, one example per
/// paragraph (blank lines separate them); <c>.jsonl</c> holds one JSON object per line, each either
/// <c>{"text": ...}</c>, <c>{"prompt": ..., "completion": ...}</c> or <c>{"messages": [{"role", "content"}, ...]}</c>.
/// </summary>
public sealed class TrainingDataFile : ITrainingExampleSource
{
    /// <summary>Reads <paramref name="path"/> (checked to exist now, read when the trainer asks).</summary>
    public TrainingDataFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(Path))
        {
            throw new FileNotFoundException($"Training data '{path}' does not exist.", Path);
        }
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Whether the file is read as JSON lines.</summary>
    public bool IsJsonLines => System.IO.Path.GetExtension(Path).Equals(".jsonl", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public string Description => System.IO.Path.GetFileName(Path);

    /// <inheritdoc />
    public IEnumerable<TrainingExample> ReadExamples() => IsJsonLines ? ReadJsonLines() : ReadParagraphs();

    private IEnumerable<TrainingExample> ReadParagraphs()
    {
        var paragraph = new List<string>();
        var lineNumber = 0;
        var start = 1;
        foreach (var line in File.ReadLines(Path))
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                if (paragraph.Count > 0)
                {
                    yield return new TextExample(string.Join('\n', paragraph)) { Origin = $"{Description}:{start}" };
                    paragraph.Clear();
                }
                start = lineNumber + 1;
                continue;
            }
            paragraph.Add(line);
        }
        if (paragraph.Count > 0)
        {
            yield return new TextExample(string.Join('\n', paragraph)) { Origin = $"{Description}:{start}" };
        }
    }

    private IEnumerable<TrainingExample> ReadJsonLines()
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(Path))
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            yield return Parse(line, $"{Description}:{lineNumber}");
        }
    }

    /// <summary>Parses one JSON line into an example; <paramref name="origin"/> names it in errors.</summary>
    public static TrainingExample Parse(string json, string origin)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{origin}: not valid JSON ({ex.Message.Split('.')[0]}).");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{origin}: expected a JSON object with \"text\", \"prompt\" and \"completion\", or \"messages\".");
            }
            if (root.TryGetProperty("messages", out var messages))
            {
                return new ChatExample(ParseMessages(messages, origin)) { Origin = origin };
            }
            if (root.TryGetProperty("prompt", out var prompt) || root.TryGetProperty("completion", out _))
            {
                var completion = root.TryGetProperty("completion", out var c) ? c : default;
                return new PromptCompletionExample(String(prompt, "prompt", origin), String(completion, "completion", origin)) { Origin = origin };
            }
            if (root.TryGetProperty("text", out var text))
            {
                return new TextExample(String(text, "text", origin)) { Origin = origin };
            }
            throw new FormatException($"{origin}: expected \"text\", \"prompt\" and \"completion\", or \"messages\".");
        }
    }

    private static List<ChatTurn> ParseMessages(JsonElement messages, string origin)
    {
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw new FormatException($"{origin}: \"messages\" must be a non-empty array of {{\"role\", \"content\"}} objects.");
        }
        var turns = new List<ChatTurn>();
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{origin}: every message must be an object with \"role\" and \"content\".");
            }
            var role = String(message.TryGetProperty("role", out var r) ? r : default, "role", origin);
            if (role is not ("system" or "user" or "assistant"))
            {
                throw new FormatException($"{origin}: unknown role '{role}' (expected system, user or assistant).");
            }
            turns.Add(new ChatTurn(role, String(message.TryGetProperty("content", out var c) ? c : default, "content", origin)));
        }
        return turns;
    }

    private static string String(JsonElement value, string name, string origin) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"{origin}: \"{name}\" must be a string.");
}
