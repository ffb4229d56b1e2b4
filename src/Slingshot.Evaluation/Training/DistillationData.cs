using System.Text.Json;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Store;
using Slingshot.Training;

namespace Slingshot.Evaluation.Training;

/// <summary>What <see cref="DistillationData.Select"/> keeps of a run.</summary>
public sealed record DistillationOptions
{
    /// <summary>At most this many distinct verified samples per problem. Default 1.</summary>
    public int MaxPerProblem { get; init; } = 1;

    /// <summary>Drop samples that ran into the token limit even when graded correct. Default true.</summary>
    public bool SkipTruncated { get; init; } = true;
}

/// <summary>The fine-tuning set <see cref="DistillationData.Select"/> chose, with what it left out and why.</summary>
/// <param name="Source">The verified samples as training examples (read lazily by the trainer).</param>
/// <param name="Examples">How many examples the source yields.</param>
/// <param name="Problems">Problems with at least one example.</param>
/// <param name="TrainSplitProblems">Problems of the run that belong to the training split.</param>
/// <param name="OutsideTrainSplit">Problems of the run left out because the training task does not hold them.</param>
/// <param name="HeldOut">Problems left out because an evaluation task holds the same prompt.</param>
public sealed record DistillationSet(ITrainingExampleSource Source, int Examples, int Problems, int TrainSplitProblems, int OutsideTrainSplit, int HeldOut);

/// <summary>
/// Builds a distillation set from a run store (STaR / rejection-sampling fine-tuning on a model's own samples, or
/// a teacher's samples for a student): the samples the task's verifier marked correct, deduplicated, at most m per
/// problem, and only of problems of the training split: a problem counts when the training task holds its id and
/// no held-out (evaluation) task holds its prompt, so a run drawn on the wrong split, or a split that leaks into
/// the evaluation, gives no training data from those problems.
/// </summary>
public static class DistillationData
{
    /// <summary>Chooses the examples; a one-line <see cref="ArgumentException"/> when nothing qualifies.</summary>
    public static DistillationSet Select(string storePath, string runId, IBenchmarkTask trainTask, IEnumerable<IBenchmarkTask> heldOutTasks,
        DistillationOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(trainTask);
        ArgumentNullException.ThrowIfNull(heldOutTasks);
        options ??= new DistillationOptions();
        if (!File.Exists(storePath))
        {
            throw new ArgumentException($"Store '{storePath}' does not exist.");
        }
        var trainIds = trainTask.LoadProblems().Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var heldOutPrompts = heldOutTasks.SelectMany(t => t.LoadProblems()).Select(p => PromptKey(p.Messages.Select(m => (m.Role.Value, (string?)m.Text))))
            .ToHashSet(StringComparer.Ordinal);

        IReadOnlyList<(string ProblemId, int Ordinal, string PromptJson, string? Reference)> problems;
        using (var store = RunStore.Open(storePath, readOnly: true))
        {
            if (store.GetRun(runId) is null)
            {
                throw new ArgumentException($"Run '{runId}' is not in '{storePath}'.");
            }
            problems = store.GetProblems(runId);
        }
        var included = new HashSet<string>(StringComparer.Ordinal);
        int outside = 0, heldOut = 0;
        foreach (var (id, _, promptJson, _) in problems)
        {
            if (!trainIds.Contains(id))
            {
                outside++;
            }
            else if (heldOutPrompts.Contains(PromptKey(StoredPrompt(promptJson))))
            {
                heldOut++;
            }
            else
            {
                included.Add(id);
            }
        }
        if (included.Count == 0)
        {
            throw new ArgumentException(
                $"Run '{runId}' holds no problem of the training split '{trainTask.Name}' ({outside} outside it, {heldOut} held out for evaluation): sample the training split's task, then distill.");
        }
        var source = new VerifiedSampleSource(storePath, runId, new VerifiedSampleOptions
        {
            MaxPerProblem = options.MaxPerProblem,
            SkipTruncated = options.SkipTruncated,
            IncludeProblem = included.Contains,
        });
        var examples = source.ReadExamples().ToList();
        if (examples.Count == 0)
        {
            throw new ArgumentException(
                $"Run '{runId}' has no verified sample of the {included.Count} training-split problems it holds: nothing to distill (draw more samples, or grade the run).");
        }
        var withExamples = examples.Select(e => e.Origin![(runId.Length + 1)..e.Origin!.LastIndexOf('#')]).Distinct(StringComparer.Ordinal).Count();
        return new DistillationSet(source, examples.Count, withExamples, included.Count, outside, heldOut);
    }

    private static IEnumerable<(string Role, string? Text)> StoredPrompt(string promptJson)
    {
        using var document = JsonDocument.Parse(promptJson);
        return document.RootElement.EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString() ?? "user", m.TryGetProperty("content", out var c) ? c.GetString() : null))
            .ToList();
    }

    private static string PromptKey(IEnumerable<(string Role, string? Text)> messages) =>
        string.Join("\u0001", messages.Select(m => m.Role + "\u0002" + (m.Text ?? "").Trim()));
}
