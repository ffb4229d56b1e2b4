using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// GSM8K, zero-shot for chat models: the question plus an instruction to reason step by step and end
/// with "The answer is N.", graded by the last number in the reply (flexible extraction), since a chat
/// model asked for a format does not always keep it. Problems are the 1,319 of the test split, ids
/// "gsm8k/&lt;index&gt;" in file order; the reference is the number after <c>#### </c>.
/// </summary>
public sealed class Gsm8kTask : IBenchmarkTask
{
    /// <summary>The registry name.</summary>
    public const string TaskName = "gsm8k";

    internal const string Instruction =
        "Solve the problem step by step. End your response with \"The answer is N.\", where N is the final number.";

    private readonly string _datasetRoot;

    /// <summary>Creates the task over the data sets in <paramref name="datasetRoot"/>.</summary>
    public Gsm8kTask(string datasetRoot)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        _datasetRoot = datasetRoot;
    }

    /// <inheritdoc />
    public string Name => TaskName;

    /// <inheritdoc />
    public string Version => "gsm8k@1";

    /// <inheritdoc />
    public string Description => "GSM8K grade-school math, 1319 test problems, zero-shot; last number in the reply";

    /// <inheritdoc />
    public IAnswerExtractor Extractor { get; } = new Gsm8kFlexibleExtractor();

    /// <inheritdoc />
    public ChatOptions DefaultOptions => new() { MaxOutputTokens = 512 };

    /// <inheritdoc />
    public IReadOnlyList<Problem> LoadProblems() =>
        LoadTestSplit(_datasetRoot, question => [new ChatMessage(ChatRole.User, $"{question}\n\n{Instruction}")]);

    /// <inheritdoc />
    public IVerifier Verifier => new ReferenceMatchVerifier(Extractor);

    /// <summary>The test split with prompts built by <paramref name="prompt"/>; shared with the chain-of-thought variant.</summary>
    internal static IReadOnlyList<Problem> LoadTestSplit(string datasetRoot, Func<string, IReadOnlyList<ChatMessage>> prompt)
    {
        var path = DatasetFiles.Require(datasetRoot, "gsm8k", "test.jsonl");
        var records = DatasetFiles.ReadJsonLines(path);
        var problems = new List<Problem>(records.Count);
        for (var index = 0; index < records.Count; index++)
        {
            var question = DatasetFiles.Text(records[index], "question", path);
            var answer = DatasetFiles.Text(records[index], "answer", path);
            problems.Add(new Problem
            {
                Id = $"gsm8k/{index}",
                Messages = prompt(question),
                Reference = FinalAnswer(answer),
            });
        }
        return problems;
    }

    /// <summary>The text after the last <c>#### </c> of a GSM8K answer field (the whole field when it has none).</summary>
    internal static string FinalAnswer(string answerField)
    {
        var marker = answerField.LastIndexOf("####", StringComparison.Ordinal);
        return (marker < 0 ? answerField : answerField[(marker + 4)..]).Trim();
    }
}
