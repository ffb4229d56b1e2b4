namespace Slingshot.Evaluation.Cascades;

/// <summary>
/// Replays a cascade over stored outcomes: each problem starts at the first tier and moves on while the
/// tier's score is below its threshold (a missing score always moves on); the last tier's answer is kept
/// whatever its score. Every tier asked adds its price, tokens and latency, as the live cascade's usage does.
/// </summary>
public static class CascadeSimulator
{
    /// <summary>Replays <paramref name="problems"/> with <paramref name="thresholds"/> (one per tier but the last).</summary>
    public static CascadeSimulationResult Simulate(IReadOnlyList<CascadeProblem> problems, IReadOnlyList<double> thresholds)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(thresholds);
        var tierCount = thresholds.Count + 1;
        var answered = new int[tierCount];
        double correct = 0, cost = 0, tokens = 0, latency = 0;
        foreach (var problem in problems)
        {
            if (problem.Tiers.Count != tierCount)
            {
                throw new ArgumentException($"Problem '{problem.ProblemId}' has {problem.Tiers.Count} tiers; the thresholds are for {tierCount}.");
            }
            for (var tier = 0; tier < tierCount; tier++)
            {
                var outcome = problem.Tiers[tier];
                cost += outcome.CostUsd;
                tokens += outcome.Tokens;
                latency += outcome.LatencyMs;
                if (tier == tierCount - 1 || Keeps(outcome.Score, thresholds[tier]))
                {
                    answered[tier]++;
                    correct += outcome.Correct ? 1 : 0;
                    break;
                }
            }
        }
        var n = Math.Max(problems.Count, 1);
        return new CascadeSimulationResult
        {
            Thresholds = [.. thresholds],
            Problems = problems.Count,
            Accuracy = correct / n,
            CostPerProblem = cost / n,
            TokensPerProblem = tokens / n,
            LatencyMsPerProblem = latency / n,
            AnsweredShare = [.. answered.Select(a => (double)a / n)],
        };
    }

    /// <summary>The live tests' rule: a score at or above the threshold keeps the answer.</summary>
    public static bool Keeps(double? score, double threshold) => score is { } s && s >= threshold;
}
