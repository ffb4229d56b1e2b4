using System.IO.Compression;
using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// HumanEval: 164 Python functions to complete from their signature and docstring, graded by running the
/// data set's tests in a code sandbox. A chat model usually answers with the whole function, so the code
/// under test is built either way: the prompt followed by a bare completion, or, when the extracted code
/// defines the entry point itself, the part of the prompt before that definition (imports and helper
/// functions) followed by the code. The tests and <c>check(entry_point)</c> run apart from it
/// (see <see cref="IsolatedTestProgram"/>).
/// </summary>
public sealed class HumanEvalTask : IBenchmarkTask
{
    /// <summary>The registry name.</summary>
    public const string TaskName = "humaneval";

    internal const string Instruction =
        "Complete the following Python function. Reply with the complete function in a ```python code block.";

    private static readonly CodeBlockExtractor Code = new();
    private readonly string _datasetRoot;
    private readonly ICodeSandbox? _sandbox;

    /// <summary>Creates the task over the data sets in <paramref name="datasetRoot"/>.</summary>
    /// <param name="datasetRoot">The data set folder.</param>
    /// <param name="sandbox">Runs the tests; without one the task loads but cannot grade.</param>
    public HumanEvalTask(string datasetRoot, ICodeSandbox? sandbox)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        _datasetRoot = datasetRoot;
        _sandbox = sandbox;
    }

    /// <inheritdoc />
    public string Name => TaskName;

    /// <inheritdoc />
    public string Version => "humaneval@1";

    /// <inheritdoc />
    public string Description => "HumanEval, 164 Python functions, zero-shot; unit tests run in the code sandbox";

    /// <inheritdoc />
    public IAnswerExtractor? Extractor => null;

    /// <inheritdoc />
    public ChatOptions DefaultOptions => new() { MaxOutputTokens = 768 };

    /// <inheritdoc />
    public IReadOnlyList<Problem> LoadProblems()
    {
        var path = DatasetFiles.Require(_datasetRoot, "humaneval", "HumanEval.jsonl.gz");
        var records = DatasetFiles.ReadJsonLines(new GZipStream(File.OpenRead(path), CompressionMode.Decompress), path);
        return records.Select(record =>
        {
            var prompt = DatasetFiles.Text(record, "prompt", path);
            var entryPoint = DatasetFiles.Text(record, "entry_point", path);
            return new Problem
            {
                Id = DatasetFiles.Text(record, "task_id", path),
                Messages = [new ChatMessage(ChatRole.User, $"{Instruction}\n\n```python\n{prompt}```")],
                Reference = DatasetFiles.Text(record, "canonical_solution", path),
                Prelude = prompt,
                Tests = DatasetFiles.Text(record, "test", path) + "\n" + $"check({entryPoint})",
                Metadata = new Dictionary<string, string> { ["entry_point"] = entryPoint },
            };
        }).ToList();
    }

    /// <inheritdoc />
    public ValueTask<Grade> GradeAsync(Problem problem, string sampleText, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(sampleText);
        return CodeGrading.GradeAsync(_sandbox, Name, BuildProgram(problem, Code.Extract(sampleText)), cancellationToken);
    }

    /// <summary>The code under test and the tests that check it, for <paramref name="code"/> (already extracted from the sample).</summary>
    internal static IsolatedTestProgram BuildProgram(Problem problem, string code)
    {
        var prompt = problem.Prelude ?? throw new SlingshotException($"Problem {problem.Id} has no prompt to complete.");
        var entryPoint = problem.Metadata.GetValueOrDefault("entry_point")
            ?? throw new SlingshotException($"Problem {problem.Id} has no entry point.");
        var definition = $"def {entryPoint}(";
        var head = code.Contains(definition, StringComparison.Ordinal) ? PromptBefore(prompt, definition) : prompt;
        var tests = problem.Tests ?? throw new SlingshotException($"Problem {problem.Id} has no tests.");
        return IsolatedTestProgram.Create(head + code, tests, [entryPoint]);
    }

    /// <summary>The prompt up to the line defining the entry point: its imports and helper functions.</summary>
    private static string PromptBefore(string prompt, string definition)
    {
        var at = prompt.IndexOf(definition, StringComparison.Ordinal);
        if (at < 0)
        {
            return "";
        }
        var lineStart = prompt.LastIndexOf('\n', Math.Max(at - 1, 0)) + 1;
        return prompt[..lineStart];
    }
}
