using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// AI2 Reasoning Challenge (ARC), Easy or Challenge test split, zero-shot multiple choice. Options are
/// always shown lettered A, B, C, ...; the few questions whose keys are "1"-"4" in the original keep
/// their numeric reference, which the extractor maps to letters. Ids are "arc-easy/&lt;ARC id&gt;".
/// </summary>
public sealed class ArcTask : IBenchmarkTask
{
    /// <summary>The registry name of the Easy set.</summary>
    public const string EasyName = "arc-easy";

    /// <summary>The registry name of the Challenge set.</summary>
    public const string ChallengeName = "arc-challenge";

    private readonly string _datasetRoot;
    private readonly bool _challenge;

    private ArcTask(string datasetRoot, bool challenge)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        _datasetRoot = datasetRoot;
        _challenge = challenge;
    }

    /// <summary>ARC-Easy over the data sets in <paramref name="datasetRoot"/>.</summary>
    public static ArcTask Easy(string datasetRoot) => new(datasetRoot, challenge: false);

    /// <summary>ARC-Challenge over the data sets in <paramref name="datasetRoot"/>.</summary>
    public static ArcTask Challenge(string datasetRoot) => new(datasetRoot, challenge: true);

    /// <inheritdoc />
    public string Name => _challenge ? ChallengeName : EasyName;

    /// <inheritdoc />
    public string Version => $"{Name}@1";

    /// <inheritdoc />
    public string Description => _challenge
        ? "ARC-Challenge grade-school science, 1172 test questions, zero-shot multiple choice"
        : "ARC-Easy grade-school science, 2376 test questions, zero-shot multiple choice";

    /// <inheritdoc />
    // ARC has up to five options (A-E).
    public IAnswerExtractor Extractor { get; } = new MultipleChoiceExtractor(5, numericKeys: true);

    /// <inheritdoc />
    public ChatOptions DefaultOptions => new() { MaxOutputTokens = 512 };

    /// <inheritdoc />
    public IReadOnlyList<Problem> LoadProblems()
    {
        var path = DatasetFiles.Require(_datasetRoot, "arc", _challenge ? "ARC-Challenge-Test.jsonl" : "ARC-Easy-Test.jsonl");
        return DatasetFiles.ReadJsonLines(path).Select(record =>
        {
            var question = record.GetProperty("question");
            var choices = question.GetProperty("choices").EnumerateArray()
                .Select(choice => DatasetFiles.Text(choice, "text", path)).ToList();
            return new Problem
            {
                Id = $"{Name}/{DatasetFiles.Text(record, "id", path)}",
                Messages = [new ChatMessage(ChatRole.User, ChoicePrompt.Format(null, DatasetFiles.Text(question, "stem", path), choices))],
                Reference = DatasetFiles.Text(record, "answerKey", path),
            };
        }).ToList();
    }

    /// <inheritdoc />
    public IVerifier Verifier => new ReferenceMatchVerifier(Extractor);
}
