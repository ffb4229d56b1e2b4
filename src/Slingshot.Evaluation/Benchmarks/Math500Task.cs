using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// MATH-500 (the PRM800K selection of Hendrycks' MATH test set), zero-shot: the problem plus an
/// instruction to put the final answer in <c>\boxed{}</c>, graded by the last boxed answer normalized as
/// Hendrycks' <c>is_equiv</c> does. Ids are the data set's <c>unique_id</c> ("test/precalculus/807.json").
/// </summary>
public sealed class Math500Task : IBenchmarkTask
{
    /// <summary>The registry name.</summary>
    public const string TaskName = "math500";

    internal const string Instruction = "Solve the problem step by step, and put your final answer within \\boxed{}.";

    private readonly string _datasetRoot;

    /// <summary>Creates the task over the data sets in <paramref name="datasetRoot"/>.</summary>
    public Math500Task(string datasetRoot)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        _datasetRoot = datasetRoot;
    }

    /// <inheritdoc />
    public string Name => TaskName;

    /// <inheritdoc />
    public string Version => "math500@1";

    /// <inheritdoc />
    public string Description => "MATH-500 competition math, zero-shot; last \\boxed{} answer, Hendrycks normalization";

    /// <inheritdoc />
    public IAnswerExtractor Extractor { get; } = new MathBoxedExtractor();

    /// <inheritdoc />
    public ChatOptions DefaultOptions => new() { MaxOutputTokens = 1024 };

    /// <inheritdoc />
    public IReadOnlyList<Problem> LoadProblems()
    {
        var path = DatasetFiles.Require(_datasetRoot, "math500", "test.jsonl");
        return DatasetFiles.ReadJsonLines(path).Select(record => new Problem
        {
            Id = DatasetFiles.Text(record, "unique_id", path),
            Messages = [new ChatMessage(ChatRole.User, $"{DatasetFiles.Text(record, "problem", path)}\n\n{Instruction}")],
            Reference = DatasetFiles.Text(record, "answer", path),
            Metadata = new Dictionary<string, string>
            {
                ["subject"] = DatasetFiles.Text(record, "subject", path),
                ["level"] = DatasetFiles.Text(record, "level", path),
            },
        }).ToList();
    }

    /// <inheritdoc />
    public IVerifier Verifier => new ReferenceMatchVerifier(Extractor);
}
