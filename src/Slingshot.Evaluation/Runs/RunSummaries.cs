using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Runs;

/// <summary>Reads a stored run back as metrics.</summary>
public static class RunSummaries
{
    /// <summary>Summarizes run <paramref name="runId"/> from its graded samples (all of them, or the first <paramref name="maxSamples"/> per problem).</summary>
    /// <exception cref="StoreException">No such run.</exception>
    public static RunSummary Load(RunStore store, string runId, int? maxSamples = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var run = store.GetRun(runId) ?? throw new StoreException(
            $"No run '{runId}' in '{store.Path}'. Runs there: {string.Join(", ", store.ListRuns().Select(r => r.RunId).DefaultIfEmpty("(none)"))}.");
        var settings = RunSettingsJson.Deserialize(run.SettingsJson);
        var outcomes = Outcomes(store, runId, maxSamples);
        var (promptTokens, completionTokens, price, _) = store.Totals(runId);
        var cost = new CostSummary
        {
            PromptTokens = promptTokens,
            CompletionTokens = completionTokens,
            Flops = run.Parameters is { } p ? 2.0 * p * (promptTokens + completionTokens) : 0,
            WallSeconds = run.WallSeconds,
            PriceUsd = price,
        };
        return RunMetrics.Summarize(runId, settings, outcomes, settings.ExtractsAnswers, cost, run.CreatedAt);
    }

    /// <summary>The graded samples of a run grouped by problem in problem order (ungraded samples are left out).</summary>
    public static IReadOnlyList<ProblemOutcome> Outcomes(RunStore store, string runId, int? maxSamples = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.GetSamples(runId, maxIndex: maxSamples)
            .Where(s => s.Correct is not null)
            .GroupBy(s => s.ProblemId, StringComparer.Ordinal)
            .Select(g => new ProblemOutcome(g.Key, g.OrderBy(s => s.Index)
                .Select(s => new SampleOutcome(s.Index, s.Answer, s.Correct!.Value, s.MeanLogprob)).ToList()))
            .ToList();
    }
}
