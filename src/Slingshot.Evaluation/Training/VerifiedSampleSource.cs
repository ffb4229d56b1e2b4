using System.Text.Json;
using Slingshot.Evaluation.Store;
using Slingshot.Training;

namespace Slingshot.Evaluation.Training;

/// <summary>Which verified samples of a run become training examples.</summary>
public sealed record VerifiedSampleOptions
{
    /// <summary>At most this many distinct correct samples per problem (the lowest indices first). Default 1.</summary>
    public int MaxPerProblem { get; init; } = 1;

    /// <summary>Only problems this accepts (by problem id): the training split, never the problems an evaluation holds
    /// out. Null accepts every problem of the run.</summary>
    public Func<string, bool>? IncludeProblem { get; init; }

    /// <summary>Drop samples that ran into the token limit (finish reason "length") even when graded correct. Default true.</summary>
    public bool SkipTruncated { get; init; } = true;
}

/// <summary>
/// A run store's verified samples as training data (STaR, rejection-sampling fine-tuning, teacher distillation):
/// for every accepted problem, up to m samples the task's grader marked correct, deduplicated by their
/// whitespace-normalized text, each as a chat example of the problem's recorded prompt followed by the sample as
/// the assistant's reply, rendered later with the student model's template. Reads the store read-only.
/// </summary>
public sealed class VerifiedSampleSource : ITrainingExampleSource
{
    private readonly string _storePath;
    private readonly string _runId;
    private readonly VerifiedSampleOptions _options;

    /// <summary>Reads <paramref name="runId"/> of the store at <paramref name="storePath"/>.</summary>
    public VerifiedSampleSource(string storePath, string runId, VerifiedSampleOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        _storePath = storePath;
        _runId = runId;
        _options = options ?? new VerifiedSampleOptions();
        if (_options.MaxPerProblem < 1)
        {
            throw new ArgumentException($"At least one sample per problem must be allowed (got {_options.MaxPerProblem}).");
        }
    }

    /// <inheritdoc />
    public string Description => $"{Path.GetFileName(_storePath)}:{_runId} (verified)";

    /// <inheritdoc />
    public IEnumerable<TrainingExample> ReadExamples()
    {
        using var store = RunStore.Open(_storePath, readOnly: true);
        if (store.GetRun(_runId) is null)
        {
            throw new ArgumentException($"Run '{_runId}' is not in '{_storePath}'.");
        }
        var prompts = store.GetProblems(_runId).ToDictionary(p => p.ProblemId, p => p.PromptJson, StringComparer.Ordinal);
        var examples = new List<TrainingExample>();
        foreach (var problem in store.GetSamples(_runId).Where(s => s.Correct == true).GroupBy(s => s.ProblemId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (_options.IncludeProblem is { } include && !include(problem.Key) || !prompts.TryGetValue(problem.Key, out var promptJson))
            {
                continue;
            }
            var prompt = Messages(promptJson, problem.Key);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var sample in problem.OrderBy(s => s.Index))
            {
                if (_options.SkipTruncated && sample.FinishReason == "length")
                {
                    continue;
                }
                var text = sample.Text.Trim();
                if (text.Length == 0 || !seen.Add(string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))))
                {
                    continue;
                }
                examples.Add(new ChatExample([.. prompt, new ChatTurn("assistant", text)]) { Origin = $"{_runId}/{problem.Key}#{sample.Index}" });
                if (seen.Count >= _options.MaxPerProblem)
                {
                    break;
                }
            }
        }
        return examples;
    }

    private static List<ChatTurn> Messages(string promptJson, string problemId)
    {
        using var document = JsonDocument.Parse(promptJson);
        var turns = new List<ChatTurn>();
        foreach (var message in document.RootElement.EnumerateArray())
        {
            var role = message.GetProperty("role").GetString() ?? "user";
            var content = message.TryGetProperty("content", out var c) ? c.GetString() ?? "" : "";
            turns.Add(new ChatTurn(role, content));
        }
        return turns.Count > 0 ? turns : throw new FormatException($"Problem '{problemId}' has no recorded prompt.");
    }
}
