namespace Slingshot.Evaluation.Cascades;

/// <summary>
/// Chooses a cascade's thresholds on development problems: replays every combination of candidate thresholds
/// (each tier's distinct scores, plus one above them all that always escalates) and keeps the one that best
/// meets the objective. Only the scores seen can change a decision, so trying them all is exhaustive.
/// </summary>
public static class CascadeCalibrator
{
    /// <summary>Most candidate thresholds per tier; a tier with more distinct scores is tried at evenly spaced quantiles.</summary>
    public const int MaxCandidatesPerTier = 256;

    /// <summary>Most threshold combinations replayed.</summary>
    public const int MaxCombinations = 1_000_000;

    /// <summary>Calibrates on <paramref name="development"/> for <paramref name="objective"/>.</summary>
    /// <exception cref="ArgumentException">No problems, or too many tiers to try every combination.</exception>
    public static CascadeCalibration Calibrate(IReadOnlyList<CascadeProblem> development, CalibrationObjective objective)
    {
        ArgumentNullException.ThrowIfNull(development);
        ArgumentNullException.ThrowIfNull(objective);
        if (development.Count == 0)
        {
            throw new ArgumentException("The development split has no problems; give more problems or a larger development fraction.");
        }
        var tierCount = development[0].Tiers.Count;
        var candidates = Enumerable.Range(0, tierCount - 1).Select(t => CandidateThresholds(development, t)).ToList();
        var combinations = candidates.Aggregate(1L, (product, c) => product * c.Count);
        if (combinations > MaxCombinations)
        {
            throw new ArgumentException($"{combinations} threshold combinations are too many to replay (at most {MaxCombinations}); use fewer tiers.");
        }
        var results = new List<CascadeSimulationResult>();
        foreach (var thresholds in Combinations(candidates))
        {
            results.Add(CascadeSimulator.Simulate(development, thresholds));
        }
        var meeting = results.Where(objective.IsMetBy).ToList();
        var chosen = objective.TargetAccuracy is not null
            ? Best(meeting.Count > 0 ? meeting : results, byAccuracyFirst: meeting.Count == 0)
            : Best(meeting.Count > 0 ? meeting : results, byAccuracyFirst: meeting.Count > 0);
        return new CascadeCalibration
        {
            Objective = objective,
            Chosen = chosen,
            ObjectiveMet = meeting.Count > 0,
            CandidatesTried = results.Count,
            Frontier = ParetoFrontier(results),
        };
    }

    /// <summary>Tier <paramref name="tier"/>'s candidate thresholds: its distinct scores, and one above them all (always escalate).</summary>
    public static IReadOnlyList<double> CandidateThresholds(IReadOnlyList<CascadeProblem> problems, int tier)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var scores = problems.Select(p => p.Tiers[tier].Score).OfType<double>().Where(double.IsFinite).Distinct().Order().ToList();
        if (scores.Count == 0)
        {
            // No scores: every answer escalates whatever the threshold.
            return [0];
        }
        if (scores.Count > MaxCandidatesPerTier)
        {
            scores = [.. Enumerable.Range(0, MaxCandidatesPerTier).Select(i => scores[(int)((long)i * (scores.Count - 1) / (MaxCandidatesPerTier - 1))]).Distinct()];
        }
        scores.Add(AboveAll(scores[^1]));
        return scores;
    }

    /// <summary>
    /// A threshold above <paramref name="highest"/> that reads as a different number (1 -> 1.001), so the
    /// always-escalate candidate is not printed like the highest score's.
    /// </summary>
    private static double AboveAll(double highest)
    {
        var rounded = Math.Floor(highest * 1000 + 1) / 1000;
        return rounded > highest ? rounded : Math.BitIncrement(highest);
    }

    /// <summary>
    /// The best of <paramref name="results"/>: by accuracy then cost, or by cost then accuracy. Remaining ties go to
    /// the lowest thresholds, which escalate least on scores between those seen.
    /// </summary>
    private static CascadeSimulationResult Best(List<CascadeSimulationResult> results, bool byAccuracyFirst)
    {
        var ordered = byAccuracyFirst
            ? results.OrderByDescending(r => r.Accuracy).ThenBy(r => r.CostPerProblem)
            : results.OrderBy(r => r.CostPerProblem).ThenByDescending(r => r.Accuracy);
        return ordered.ThenBy(r => r.Thresholds, ThresholdOrder.Instance).First();
    }

    private static List<CascadeSimulationResult> ParetoFrontier(List<CascadeSimulationResult> results)
    {
        var frontier = new List<CascadeSimulationResult>();
        foreach (var result in results.OrderBy(r => r.CostPerProblem).ThenByDescending(r => r.Accuracy).ThenBy(r => r.Thresholds, ThresholdOrder.Instance))
        {
            if (frontier.Count == 0 || result.Accuracy > frontier[^1].Accuracy + 1e-12)
            {
                frontier.Add(result);
            }
        }
        return frontier;
    }

    private static IEnumerable<double[]> Combinations(List<IReadOnlyList<double>> candidates)
    {
        var indices = new int[candidates.Count];
        while (true)
        {
            yield return [.. indices.Select((i, tier) => candidates[tier][i])];
            var position = indices.Length - 1;
            while (position >= 0 && ++indices[position] == candidates[position].Count)
            {
                indices[position--] = 0;
            }
            if (position < 0)
            {
                yield break;
            }
        }
    }

    private sealed class ThresholdOrder : IComparer<IReadOnlyList<double>>
    {
        public static ThresholdOrder Instance { get; } = new();

        public int Compare(IReadOnlyList<double>? x, IReadOnlyList<double>? y)
        {
            for (var i = 0; i < Math.Min(x!.Count, y!.Count); i++)
            {
                var order = x[i].CompareTo(y[i]);
                if (order != 0)
                {
                    return order;
                }
            }
            return x.Count.CompareTo(y.Count);
        }
    }
}
