using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Sandbox;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// MBPP, basic Python programming problems, graded by running their assertions in a code sandbox.
/// Two variants: <c>mbpp</c> (mbpp.jsonl, the 500 problems of the conventional test split, task ids
/// 11-510) and <c>mbpp-sanitized</c> (sanitized-mbpp.json, the 257 hand-checked problems whose ids fall
/// in that same test split, as the sanitized test split is usually defined). Both use the 3-shot prompt
/// of the original paper: tasks 2, 3 and 4 as user/assistant turns, the prompt stating the task and its
/// tests. Grading is <see cref="UnitTestVerifier"/>: the code runs apart from its tests (see
/// <see cref="IsolatedTestProgram"/>): the setup code (imports for the sanitized set), then the asserts, in a
/// process of their own.
/// </summary>
public sealed partial class MbppTask : IBenchmarkTask
{
    /// <summary>The registry name of the full variant.</summary>
    public const string FullName = "mbpp";

    /// <summary>The registry name of the sanitized variant.</summary>
    public const string SanitizedName = "mbpp-sanitized";

    private const int FirstTestId = 11;
    private const int LastTestId = 510;
    private static readonly int[] ExemplarIds = [2, 3, 4];

    private readonly string _datasetRoot;
    private readonly bool _sanitized;

    private MbppTask(string datasetRoot, ICodeSandbox? sandbox, bool sanitized)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        _datasetRoot = datasetRoot;
        _sanitized = sanitized;
        Verifier = CodeTaskVerifier.Create(sandbox, Name);
    }

    /// <summary>The full variant over the data sets in <paramref name="datasetRoot"/>.</summary>
    public static MbppTask Full(string datasetRoot, ICodeSandbox? sandbox) => new(datasetRoot, sandbox, sanitized: false);

    /// <summary>The sanitized variant over the data sets in <paramref name="datasetRoot"/>.</summary>
    public static MbppTask Sanitized(string datasetRoot, ICodeSandbox? sandbox) => new(datasetRoot, sandbox, sanitized: true);

    /// <inheritdoc />
    public string Name => _sanitized ? SanitizedName : FullName;

    /// <inheritdoc />
    public string Version => $"{Name}@2";

    /// <inheritdoc />
    public string Description => _sanitized
        ? "MBPP sanitized, 257 test-split Python problems, 3-shot; asserts run in the code sandbox"
        : "MBPP, 500 test-split Python problems (ids 11-510), 3-shot; asserts run in the code sandbox";

    /// <inheritdoc />
    public IAnswerExtractor? Extractor => null;

    /// <inheritdoc />
    public ChatOptions DefaultOptions => new() { MaxOutputTokens = 768 };

    /// <inheritdoc />
    public IReadOnlyList<Problem> LoadProblems()
    {
        var entries = _sanitized ? ReadSanitized() : ReadFull();
        var exemplars = ExemplarIds.Select(id => entries.FirstOrDefault(e => e.TaskId == id)
            ?? throw new SlingshotException($"MBPP few-shot task {id} is missing from the data file.")).ToList();

        var fewShot = new List<ChatMessage>(exemplars.Count * 2);
        foreach (var exemplar in exemplars)
        {
            fewShot.Add(new ChatMessage(ChatRole.User, TaskPrompt(exemplar)));
            fewShot.Add(new ChatMessage(ChatRole.Assistant, $"```python\n{exemplar.Code.ReplaceLineEndings("\n").TrimEnd()}\n```"));
        }

        return entries
            .Where(e => e.TaskId is >= FirstTestId and <= LastTestId)
            .Select(e => new Problem
            {
                Id = $"mbpp/{e.TaskId}",
                Messages = [.. fewShot, new ChatMessage(ChatRole.User, TaskPrompt(e))],
                Reference = e.Code,
                Tests = e.Setup + "\n" + string.Join("\n", e.Asserts),
                EntryPoints = EntryPoints(e).ToArray(),
            })
            .ToList();
    }

    /// <inheritdoc />
    public IVerifier Verifier { get; }

    /// <summary>
    /// The functions under test: those the reference code defines that the asserts call. MBPP states no
    /// entry point, and one of them (task 126) is named like a builtin (<c>sum</c>), which the tests may
    /// only take from the code when it is named as a function under test.
    /// </summary>
    private static IEnumerable<string> EntryPoints(Entry entry)
    {
        var asserts = string.Join("\n", entry.Asserts);
        return DefinedFunction().Matches(entry.Code).Select(match => match.Groups[1].Value).Distinct()
            .Where(name => Regex.IsMatch(asserts, $@"\b{Regex.Escape(name)}\s*\("));
    }

    [GeneratedRegex(@"^def\s+(\w+)\s*\(", RegexOptions.Multiline)]
    private static partial Regex DefinedFunction();

    private static string TaskPrompt(Entry entry) =>
        $"You are an expert Python programmer, and here is your task: {entry.Text} " +
        $"Your code should pass these tests:\n\n{string.Join("\n", entry.Asserts)}";

    private List<Entry> ReadFull()
    {
        var path = DatasetFiles.Require(_datasetRoot, "mbpp", "mbpp.jsonl");
        return DatasetFiles.ReadJsonLines(path).Select(record => new Entry(
            record.GetProperty("task_id").GetInt32(),
            DatasetFiles.Text(record, "text", path),
            DatasetFiles.Text(record, "code", path),
            DatasetFiles.Text(record, "test_setup_code", path),
            Strings(record.GetProperty("test_list")))).ToList();
    }

    private List<Entry> ReadSanitized()
    {
        var path = DatasetFiles.Require(_datasetRoot, "mbpp", "sanitized-mbpp.json");
        return DatasetFiles.ReadJson(path).EnumerateArray().Select(record => new Entry(
            record.GetProperty("task_id").GetInt32(),
            DatasetFiles.Text(record, "prompt", path),
            DatasetFiles.Text(record, "code", path),
            string.Join("\n", Strings(record.GetProperty("test_imports"))),
            Strings(record.GetProperty("test_list")))).ToList();
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString() ?? "").ToArray();

    /// <summary>One MBPP record in the shape both files share.</summary>
    private sealed record Entry(int TaskId, string Text, string Code, string Setup, string[] Asserts);
}
