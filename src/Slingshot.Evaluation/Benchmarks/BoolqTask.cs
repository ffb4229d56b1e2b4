using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// BoolQ (SuperGLUE), the 3,270 labelled validation questions: a passage and a yes/no question about it,
/// zero-shot. References are the data set's "true"/"false", graded as yes/no. Ids are "boolq/&lt;idx&gt;".
/// </summary>
public sealed class BoolqTask : IBenchmarkTask
{
    /// <summary>The registry name.</summary>
    public const string TaskName = "boolq";

    internal const string Instruction = "Answer the question about the passage with yes or no. End your response with \"The answer is yes.\" or \"The answer is no.\"";

    private readonly string _datasetRoot;

    /// <summary>Creates the task over the data sets in <paramref name="datasetRoot"/>.</summary>
    public BoolqTask(string datasetRoot)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        _datasetRoot = datasetRoot;
    }

    /// <inheritdoc />
    public string Name => TaskName;

    /// <inheritdoc />
    public string Version => "boolq@1";

    /// <inheritdoc />
    public string Description => "BoolQ yes/no reading comprehension, 3270 validation questions, zero-shot";

    /// <inheritdoc />
    public IAnswerExtractor Extractor { get; } = new YesNoExtractor();

    /// <inheritdoc />
    public ChatOptions DefaultOptions => new() { MaxOutputTokens = 256 };

    /// <inheritdoc />
    public IReadOnlyList<Problem> LoadProblems()
    {
        var path = DatasetFiles.Require(_datasetRoot, "boolq", "val.jsonl");
        return DatasetFiles.ReadJsonLines(path).Select(record =>
        {
            var question = DatasetFiles.Text(record, "question", path).Trim();
            var prompt = $"Passage: {DatasetFiles.Text(record, "passage", path)}\n\nQuestion: {question}?\n\n{Instruction}";
            return new Problem
            {
                Id = $"boolq/{DatasetFiles.Text(record, "idx", path)}",
                Messages = [new ChatMessage(ChatRole.User, prompt)],
                Reference = DatasetFiles.Text(record, "label", path),
            };
        }).ToList();
    }

    /// <inheritdoc />
    public IVerifier Verifier => new ReferenceMatchVerifier(Extractor);
}
