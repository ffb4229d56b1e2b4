namespace Slingshot.Evaluation.Cascades;

/// <summary>One tier asked for every problem, without a cascade: the baseline a cascade is compared with.</summary>
/// <param name="RunId">The tier's run.</param>
/// <param name="Samples">Its samples per problem.</param>
/// <param name="Accuracy">Share answered correctly.</param>
/// <param name="CostPerProblem">Mean price per problem in US dollars.</param>
/// <param name="TokensPerProblem">Mean tokens per problem.</param>
/// <param name="LatencyMsPerProblem">Mean wall time of its calls per problem, in milliseconds.</param>
public sealed record TierAlone(string RunId, int Samples, double Accuracy, double CostPerProblem, double TokensPerProblem, double LatencyMsPerProblem)
{
    /// <summary>Tier <paramref name="tier"/>'s outcomes over <paramref name="problems"/>.</summary>
    public static TierAlone Of(CascadeTierRun run, IReadOnlyList<CascadeProblem> problems, int tier)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(problems);
        var n = Math.Max(problems.Count, 1);
        return new TierAlone(run.RunId, run.Samples,
            problems.Count(p => p.Tiers[tier].Correct) / (double)n,
            problems.Sum(p => p.Tiers[tier].CostUsd) / n,
            problems.Sum(p => (double)p.Tiers[tier].Tokens) / n,
            problems.Sum(p => p.Tiers[tier].LatencyMs) / n);
    }
}
