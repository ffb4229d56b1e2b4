using System.Text.Json;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Routing;

/// <summary>
/// Router data from two graded runs of the same problems in a run store, one per tier: a problem counts as solved by
/// a tier when that run's first sample (index 0, what a single call would return) was graded correct.
/// </summary>
public static class RunStoreRoutingData
{
    /// <summary>The problems both runs hold, in the small run's order; an unknown or ungraded run is one <see cref="SlingshotException"/>.</summary>
    public static IReadOnlyList<RoutingExample> Load(RunStore store, string smallRunId, string largeRunId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var small = FirstSampleCorrect(store, smallRunId);
        var large = FirstSampleCorrect(store, largeRunId);
        var examples = new List<RoutingExample>();
        foreach (var (problemId, _, promptJson, _) in store.GetProblems(smallRunId))
        {
            if (small.TryGetValue(problemId, out var smallCorrect) && large.TryGetValue(problemId, out var largeCorrect))
            {
                examples.Add(new RoutingExample(problemId, PromptText(promptJson), smallCorrect, largeCorrect));
            }
        }
        if (examples.Count == 0)
        {
            throw new SlingshotException($"Runs '{smallRunId}' and '{largeRunId}' share no graded problems.");
        }
        return examples;
    }

    private static Dictionary<string, bool> FirstSampleCorrect(RunStore store, string runId)
    {
        if (store.GetRun(runId) is null)
        {
            throw new SlingshotException($"No run '{runId}' in {store.Path}.");
        }
        var graded = store.GetSamples(runId, maxIndex: 1).Where(s => s.Index == 0 && s.Correct is not null).ToList();
        if (graded.Count == 0)
        {
            throw new SlingshotException($"Run '{runId}' has no graded samples; grade it first (slingshot grade).");
        }
        return graded.ToDictionary(s => s.ProblemId, s => s.Correct!.Value, StringComparer.Ordinal);
    }

    // The same text a router reads at serving time: the user messages, one per line.
    private static string PromptText(string promptJson)
    {
        using var document = JsonDocument.Parse(promptJson);
        return string.Join('\n', document.RootElement.EnumerateArray()
            .Where(m => m.TryGetProperty("role", out var role) && role.GetString() == "user")
            .Select(m => m.TryGetProperty("content", out var content) ? content.GetString() ?? "" : ""));
    }
}
