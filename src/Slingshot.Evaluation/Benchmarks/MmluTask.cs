using System.Globalization;
using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// MMLU, zero-shot multiple choice over all 57 subjects (14,042 test questions) or one of them
/// ("mmlu:anatomy"). Data: mmlu/test/&lt;subject&gt;_test.csv with columns question, choice0-3 and answer
/// 0-3; the reference is that answer as a letter A-D. Ids are "mmlu/&lt;subject&gt;/&lt;row&gt;", the same
/// whether a subject is run alone or with the rest, so results combine.
/// </summary>
public sealed class MmluTask : IBenchmarkTask
{
    /// <summary>The registry name of the whole benchmark; one subject is "mmlu:&lt;subject&gt;".</summary>
    public const string TaskName = "mmlu";

    private const string FileSuffix = "_test.csv";
    private readonly string _datasetRoot;
    private readonly string? _subject;

    /// <summary>Creates the task over the data sets in <paramref name="datasetRoot"/>.</summary>
    /// <param name="datasetRoot">The data set folder.</param>
    /// <param name="subject">One subject ("anatomy"), or null for all of them.</param>
    public MmluTask(string datasetRoot, string? subject = null)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        _datasetRoot = datasetRoot;
        _subject = subject;
    }

    /// <inheritdoc />
    public string Name => _subject is null ? TaskName : $"{TaskName}:{_subject}";

    /// <inheritdoc />
    public string Version => "mmlu@1";

    /// <inheritdoc />
    public string Description => _subject is null
        ? "MMLU, 57 subjects, 14042 test questions, zero-shot multiple choice (also mmlu:<subject>)"
        : $"MMLU {Display(_subject)}, zero-shot multiple choice";

    /// <inheritdoc />
    public IAnswerExtractor Extractor { get; } = new MultipleChoiceExtractor(4);

    /// <inheritdoc />
    public ChatOptions DefaultOptions => new() { MaxOutputTokens = 512 };

    /// <summary>The subjects present under <paramref name="datasetRoot"/>, sorted.</summary>
    public static IReadOnlyList<string> Subjects(string datasetRoot)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        var folder = DatasetFiles.RequireDirectory(datasetRoot, "mmlu", "test");
        return Directory.EnumerateFiles(folder, "*" + FileSuffix)
            .Select(file => Path.GetFileName(file)[..^FileSuffix.Length])
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<Problem> LoadProblems()
    {
        var subjects = _subject is null ? Subjects(_datasetRoot) : [_subject];
        return subjects.SelectMany(LoadSubject).ToList();
    }

    /// <inheritdoc />
    public IVerifier Verifier => new ReferenceMatchVerifier(Extractor);

    private IEnumerable<Problem> LoadSubject(string subject)
    {
        var path = DatasetFiles.Require(_datasetRoot, "mmlu", "test", subject + FileSuffix);
        var preamble = $"The following is a multiple choice question about {Display(subject)}.";
        return CsvTable.Read(path).Select((row, index) =>
        {
            var choices = Enumerable.Range(0, 4).Select(i => Field(row, $"choice{i}", path)).ToList();
            var answer = Field(row, "answer", path);
            if (!int.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out var key) || key > 3)
            {
                throw new SlingshotException($"{path}: row {index + 1} has answer '{answer}', expected 0-3.");
            }
            return new Problem
            {
                Id = $"mmlu/{subject}/{index}",
                Messages = [new ChatMessage(ChatRole.User, ChoicePrompt.Format(preamble, Field(row, "question", path), choices))],
                Reference = ((char)('A' + key)).ToString(),
                Metadata = new Dictionary<string, string> { ["subject"] = subject },
            };
        });
    }

    private static string Field(IReadOnlyDictionary<string, string> row, string column, string path) =>
        row.TryGetValue(column, out var value) ? value : throw new SlingshotException($"{path}: no '{column}' column.");

    private static string Display(string subject) => subject.Replace('_', ' ');
}
