using System.IO.Compression;
using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Sandbox;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// HumanEval: 164 Python functions to complete from their signature and docstring, graded by running the
/// data set's tests in a code sandbox with <see cref="UnitTestVerifier"/>: the prompt is the prelude, the
/// entry point the function under test, so a bare completion follows the whole prompt and a whole function
/// (what a chat model usually answers) follows the prompt's imports and helpers (see
/// <see cref="UnitTestVerifier.BuildProgram"/>). The tests and <c>check(entry_point)</c> run apart from it
/// (see <see cref="IsolatedTestProgram"/>).
/// </summary>
public sealed class HumanEvalTask : IBenchmarkTask
{
    /// <summary>The registry name.</summary>
    public const string TaskName = "humaneval";

    internal const string Instruction =
        "Complete the following Python function. Reply with the complete function in a ```python code block.";

    private readonly string _datasetRoot;

    /// <summary>Creates the task over the data sets in <paramref name="datasetRoot"/>.</summary>
    /// <param name="datasetRoot">The data set folder.</param>
    /// <param name="sandbox">Runs the tests; without one the task loads but cannot grade.</param>
    public HumanEvalTask(string datasetRoot, ICodeSandbox? sandbox)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        _datasetRoot = datasetRoot;
        Verifier = CodeTaskVerifier.Create(sandbox, TaskName);
    }

    /// <inheritdoc />
    public string Name => TaskName;

    /// <inheritdoc />
    public string Version => "humaneval@2";

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
                EntryPoints = [entryPoint],
                Metadata = new Dictionary<string, string> { ["entry_point"] = entryPoint },
            };
        }).ToList();
    }

    /// <inheritdoc />
    public IVerifier Verifier { get; }
}
