using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Optimization;

/// <summary>Reads an arm's graded samples on a split, and its tokens and wall time, from its run in the store.</summary>
public static class ArmStoreReader
{
    /// <summary>
    /// The arm's first <paramref name="samples"/> graded samples of each of <paramref name="problemIds"/> (problems with
    /// fewer are left out), each carrying its share of the wall time of the call that drew it.
    /// </summary>
    public static IReadOnlyList<ArmProblem> Problems(RunStore store, string runId, IReadOnlyList<string> problemIds, int samples)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(problemIds);
        var wanted = problemIds.ToHashSet(StringComparer.Ordinal);
        var draws = store.GetDraws(runId).Where(d => wanted.Contains(d.ProblemId)).ToLookup(d => d.ProblemId, StringComparer.Ordinal);
        var stored = store.GetSamples(runId, maxIndex: samples).Where(s => wanted.Contains(s.ProblemId))
            .GroupBy(s => s.ProblemId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Index).ToList(), StringComparer.Ordinal);
        var problems = new List<ArmProblem>();
        foreach (var id in problemIds)
        {
            if (!stored.TryGetValue(id, out var list) || list.Count < samples || list.Any(s => s.Correct is null))
            {
                continue;
            }
            var calls = draws[id].ToList();
            problems.Add(new ArmProblem(id, [.. list.Select(s => new ArmSample(s.Answer, s.Correct == true, s.MeanLogprob, LatencyShare(calls, s.Index)))]));
        }
        return problems;
    }

    /// <summary>
    /// Tokens and wall time of the arm's whole run: the prompt of a problem's first call (a prompt forked into k samples is
    /// processed once), completion tokens per sample, and the run's wall time per sample (the sum of the latencies of its
    /// calls when no wall time is recorded).
    /// </summary>
    public static ArmMeasurements Measure(RunStore store, string runId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var draws = store.GetDraws(runId);
        var samples = draws.Sum(d => (long)d.SampleCount);
        if (samples == 0)
        {
            return new ArmMeasurements(0, 0, 0);
        }
        var firstCalls = draws.Where(d => d.FirstSample == 0).ToList();
        var prompt = firstCalls.Count == 0 ? 0 : firstCalls.Average(d => (double)d.PromptTokens);
        var completion = draws.Sum(d => (double)d.CompletionTokens) / samples;
        var wall = store.GetRun(runId)?.WallSeconds ?? 0;
        if (wall <= 0)
        {
            wall = draws.Sum(d => d.LatencyMs) / 1000.0;
        }
        return new ArmMeasurements(prompt, completion, wall / samples);
    }

    private static double LatencyShare(List<StoredDraw> calls, int index)
    {
        foreach (var call in calls)
        {
            if (index >= call.FirstSample && index < call.FirstSample + call.SampleCount)
            {
                return call.LatencyMs / Math.Max(1, call.SampleCount);
            }
        }
        return 0;
    }
}
