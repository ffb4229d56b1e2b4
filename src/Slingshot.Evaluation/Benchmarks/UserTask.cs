using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// A benchmark described by a task file (see <see cref="UserTaskDefinition"/>): records from a JSONL or
/// CSV file, a prompt template filled from each record, and a reference field graded with a named
/// extractor. Its version is derived from the task file's bytes, so editing the prompt or the grader
/// gives results a new version.
/// </summary>
public sealed class UserTask : IBenchmarkTask
{
    /// <summary>The verifier a task file gets when it names none.</summary>
    public const string MatchVerifier = "match";

    private static readonly JsonSerializerOptions DefinitionOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly UserTaskDefinition _definition;
    private readonly string _dataPath;
    private readonly string _format;

    private UserTask(UserTaskDefinition definition, string dataPath, string format, string version, IAnswerExtractor extractor)
    {
        _definition = definition;
        _dataPath = dataPath;
        _format = format;
        Version = version;
        Extractor = extractor;
    }

    /// <inheritdoc />
    public string Name => _definition.Name!;

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public string Description => _definition.Description ?? $"user task from {Path.GetFileName(_dataPath)}";

    /// <inheritdoc />
    public IAnswerExtractor Extractor { get; }

    /// <inheritdoc />
    public ChatOptions DefaultOptions => new() { MaxOutputTokens = _definition.MaxTokens ?? 512 };

    /// <summary>Reads and checks the task file at <paramref name="taskFilePath"/>; the data is read by <see cref="LoadProblems"/>.</summary>
    public static UserTask Load(string taskFilePath)
    {
        ArgumentNullException.ThrowIfNull(taskFilePath);
        var path = Path.GetFullPath(taskFilePath);
        if (!File.Exists(path))
        {
            throw new SlingshotException($"Task file not found: {path}");
        }

        var bytes = File.ReadAllBytes(path);
        UserTaskDefinition definition;
        try
        {
            definition = JsonSerializer.Deserialize<UserTaskDefinition>(bytes, DefinitionOptions)
                ?? throw new SlingshotException($"{path}: the task file is empty.");
        }
        catch (JsonException error)
        {
            throw new SlingshotException($"{path}: not a valid task file ({error.Message})", error);
        }

        var name = Require(definition.Name, "name", path);
        var data = Require(definition.Data, "data", path);
        Require(definition.Prompt, "prompt", path);
        Require(definition.Reference, "reference", path);
        var extractorName = Require(definition.Extractor, "extractor", path);

        var verifier = definition.Verifier ?? MatchVerifier;
        if (verifier != MatchVerifier)
        {
            throw new SlingshotException($"{path}: unknown verifier '{verifier}'; supported: {MatchVerifier}.");
        }

        IAnswerExtractor extractor;
        try
        {
            extractor = ExtractorRegistry.Create(extractorName);
        }
        catch (ArgumentException error)
        {
            throw new SlingshotException($"{path}: {error.Message}", error);
        }

        var dataPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, data));
        var format = (definition.Format ?? Path.GetExtension(dataPath).TrimStart('.')).ToLowerInvariant();
        if (format is not ("jsonl" or "csv"))
        {
            throw new SlingshotException($"{path}: unknown data format '{format}'; supported: jsonl, csv.");
        }

        // The version covers the task file and its data, so editing either is a new version of the task.
        var dataBytes = File.Exists(dataPath) ? File.ReadAllBytes(dataPath) : [];
        var version = $"{name}@{Convert.ToHexStringLower(SHA256.HashData([.. bytes, .. dataBytes]))[..8]}";
        return new UserTask(definition, dataPath, format, version, extractor);
    }

    /// <inheritdoc />
    public IReadOnlyList<Problem> LoadProblems()
    {
        if (!File.Exists(_dataPath))
        {
            throw new SlingshotException($"Task data file not found: {_dataPath}");
        }
        var records = _format == "csv" ? CsvTable.Read(_dataPath) : ReadJsonLines(_dataPath);
        var problems = new List<Problem>(records.Count);
        for (var index = 0; index < records.Count; index++)
        {
            var record = records[index];
            var messages = new List<ChatMessage>(2);
            if (_definition.System is { } system)
            {
                messages.Add(new ChatMessage(ChatRole.System, system));
            }
            messages.Add(new ChatMessage(ChatRole.User, Fill(_definition.Prompt!, record, index)));
            problems.Add(new Problem
            {
                Id = $"{Name}/{(_definition.Id is { } idField ? Field(record, idField, index) : index.ToString(System.Globalization.CultureInfo.InvariantCulture))}",
                Messages = messages,
                Reference = Field(record, _definition.Reference!, index),
            });
        }
        return problems;
    }

    /// <inheritdoc />
    public IVerifier Verifier => new ReferenceMatchVerifier(Extractor);

    /// <summary>The template with each <c>{field}</c> replaced; <c>{{</c> and <c>}}</c> are literal braces.</summary>
    internal string Fill(string template, IReadOnlyDictionary<string, string> record, int index)
    {
        var builder = new StringBuilder(template.Length * 2);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                builder.Append(c);
                i++;
            }
            else if (c == '{' && template.IndexOf('}', i + 1) is var close and > 0)
            {
                builder.Append(Field(record, template[(i + 1)..close], index));
                i = close;
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private string Field(IReadOnlyDictionary<string, string> record, string field, int index) =>
        record.TryGetValue(field, out var value)
            ? value
            : throw new SlingshotException($"{_dataPath}: record {index + 1} has no field '{field}'.");

    private static List<IReadOnlyDictionary<string, string>> ReadJsonLines(string path) =>
        DatasetFiles.ReadJsonLines(path).Select(record =>
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw new SlingshotException($"{path}: every line must be a JSON object.");
            }
            return (IReadOnlyDictionary<string, string>)record.EnumerateObject().ToDictionary(
                property => property.Name,
                property => property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText(),
                StringComparer.Ordinal);
        }).ToList();

    private static string Require(string? value, string property, string path) =>
        string.IsNullOrWhiteSpace(value) ? throw new SlingshotException($"{path}: the task file needs a '{property}'.") : value;
}
