using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// BIG-Bench Hard: 27 reasoning tasks (6,511 problems) or one of them ("bbh:navigate"), zero-shot with
/// an instruction to think step by step and finish with "So the answer is ...". The reference is the
/// task's target ("(A)", "Yes", "] ] >"); the answer is the text after the last "the answer is" (or the
/// last line), compared without case, extra whitespace, emphasis or the parentheses of an option key.
/// Ids are "bbh/&lt;task&gt;/&lt;index&gt;".
/// </summary>
public sealed class BbhTask : IBenchmarkTask
{
    /// <summary>The registry name of the whole benchmark; one task is "bbh:&lt;task&gt;".</summary>
    public const string TaskName = "bbh";

    internal const string Instruction =
        "Think step by step, then finish your response with \"So the answer is <answer>.\", giving the answer in the form the question asks for (for options, the letter in parentheses, such as (A)).";

    private readonly string _datasetRoot;
    private readonly string? _task;

    /// <summary>Creates the benchmark over the data sets in <paramref name="datasetRoot"/>.</summary>
    /// <param name="datasetRoot">The data set folder.</param>
    /// <param name="task">One task ("navigate"), or null for all of them.</param>
    public BbhTask(string datasetRoot, string? task = null)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        _datasetRoot = datasetRoot;
        _task = task;
    }

    /// <inheritdoc />
    public string Name => _task is null ? TaskName : $"{TaskName}:{_task}";

    /// <inheritdoc />
    public string Version => "bbh@1";

    /// <inheritdoc />
    public string Description => _task is null
        ? "BIG-Bench Hard, 27 tasks, 6511 problems, zero-shot chain of thought (also bbh:<task>)"
        : $"BIG-Bench Hard {_task}, zero-shot chain of thought";

    /// <inheritdoc />
    public IAnswerExtractor Extractor { get; } = new FinalAnswerExtractor();

    /// <inheritdoc />
    public ChatOptions DefaultOptions => new() { MaxOutputTokens = 768 };

    /// <summary>The task names present under <paramref name="datasetRoot"/>, sorted.</summary>
    public static IReadOnlyList<string> Tasks(string datasetRoot)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        var folder = DatasetFiles.RequireDirectory(datasetRoot, "bbh");
        return Directory.EnumerateFiles(folder, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<Problem> LoadProblems()
    {
        var tasks = _task is null ? Tasks(_datasetRoot) : [_task];
        return tasks.SelectMany(LoadTask).ToList();
    }

    /// <inheritdoc />
    public IVerifier Verifier => new ReferenceMatchVerifier(Extractor);

    private IEnumerable<Problem> LoadTask(string task)
    {
        var path = DatasetFiles.Require(_datasetRoot, "bbh", task + ".json");
        var root = DatasetFiles.ReadJson(path);
        if (!root.TryGetProperty("examples", out var examples))
        {
            throw new SlingshotException($"{path}: no 'examples' array.");
        }
        return examples.EnumerateArray().Select((example, index) => new Problem
        {
            Id = $"bbh/{task}/{index}",
            Messages = [new ChatMessage(ChatRole.User, $"{DatasetFiles.Text(example, "input", path)}\n\n{Instruction}")],
            Reference = DatasetFiles.Text(example, "target", path),
            Metadata = new Dictionary<string, string> { ["task"] = task },
        }).ToList();
    }
}
