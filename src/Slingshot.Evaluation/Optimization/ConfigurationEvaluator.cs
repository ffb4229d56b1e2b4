using Slingshot.Evaluation.Cascades;
using Slingshot.Strategies.Cascades;
using Slingshot.Strategies.Selection;

namespace Slingshot.Evaluation.Optimization;

/// <summary>
/// Measures one configuration on stored samples: a single-model configuration by the unbiased estimate over all
/// k-subsets of the n samples; a cascade from its tiers' first k samples, replayed with its thresholds.
/// </summary>
public static class ConfigurationEvaluator
{
    /// <summary>Measures <paramref name="spec"/> on <paramref name="arms"/> (each tier's arm must have at least its k samples).</summary>
    /// <exception cref="ArgumentException">An arm is missing or has too few samples, or the arms share no problem.</exception>
    public static ConfigurationResult Evaluate(ConfigurationSpec spec, IReadOnlyDictionary<ArmKey, ArmData> arms, double confidence)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(arms);
        foreach (var tier in spec.Tiers)
        {
            if (!arms.TryGetValue(tier.Arm, out var arm) || arm.SampleCount < tier.Samples)
            {
                throw new ArgumentException($"Configuration '{spec.Name}' needs {tier.Samples} samples of {tier.Arm} per problem; the store has {(arm is null ? 0 : arm.SampleCount)}.");
            }
        }
        return spec.Kind == ConfigurationKind.Cascade ? Cascade(spec, arms, confidence) : Alone(spec, arms[spec.Tiers[0].Arm], confidence);
    }

    private static ConfigurationResult Alone(ConfigurationSpec spec, ArmData arm, double confidence)
    {
        var k = spec.Tiers[0].Samples;
        var scores = arm.Problems.Select(p => spec.Kind switch
        {
            ConfigurationKind.Vote => SelectionEstimators.Majority(p.Samples, k, p.ProblemId),
            ConfigurationKind.LogprobBest => SelectionEstimators.LogprobBest(p.Samples, k)
                ?? throw new ArgumentException($"Configuration '{spec.Name}' needs log-probabilities, and {arm.Key} has samples without."),
            ConfigurationKind.Verifier => SelectionEstimators.Verifier(p.Samples, k),
            // One sample: the share of correct samples is pass@1 and the mean over every 1-subset.
            _ => SelectionEstimators.Verifier(p.Samples, 1),
        }).ToList();
        var latencies = arm.Problems.Select(p => p.LatencyMs(k)).ToList();
        return Result(spec, scores, arm.Cost.Of(k), latencies, confidence, []);
    }

    private static ConfigurationResult Cascade(ConfigurationSpec spec, IReadOnlyDictionary<ArmKey, ArmData> arms, double confidence)
    {
        var (problems, latencies) = CascadeProblems(spec.Tiers, spec.Escalation!, arms);
        if (problems.Count == 0)
        {
            throw new ArgumentException($"The arms of '{spec.Name}' share no problem.");
        }
        var simulated = CascadeSimulator.Simulate(problems, spec.Thresholds);
        var perProblem = new List<double>();
        var scores = new List<double>();
        for (var p = 0; p < problems.Count; p++)
        {
            double latency = 0;
            for (var t = 0; t < spec.Tiers.Count; t++)
            {
                latency += latencies[p][t];
                var outcome = problems[p].Tiers[t];
                if (t == spec.Tiers.Count - 1 || CascadeSimulator.Keeps(outcome.Score, spec.Thresholds[t]))
                {
                    scores.Add(outcome.Correct ? 1 : 0);
                    break;
                }
            }
            perProblem.Add(latency);
        }
        return Result(spec, scores, simulated.CostPerProblem, perProblem, confidence, simulated.AnsweredShare);
    }

    /// <summary>
    /// Each shared problem's tier outcomes for a cascade: the majority answer of the tier's first k samples, whether it is
    /// correct, its escalation score (the vote's agreement, or the winning sample's mean log-probability), and the tier's
    /// expected cost; with each tier's latency per problem.
    /// </summary>
    internal static (List<CascadeProblem> Problems, List<double[]> LatencyMs) CascadeProblems(IReadOnlyList<TierSpec> tiers, string escalation,
        IReadOnlyDictionary<ArmKey, ArmData> arms)
    {
        var byId = tiers.Select(t => arms[t.Arm].Problems.ToDictionary(p => p.ProblemId, StringComparer.Ordinal)).ToList();
        var problems = new List<CascadeProblem>();
        var latencies = new List<double[]>();
        foreach (var first in arms[tiers[0].Arm].Problems)
        {
            if (!byId.All(d => d.ContainsKey(first.ProblemId)))
            {
                continue;
            }
            var outcomes = new List<TierOutcome>();
            var latency = new double[tiers.Count];
            for (var t = 0; t < tiers.Count; t++)
            {
                var problem = byId[t][first.ProblemId];
                var k = tiers[t].Samples;
                var samples = problem.Samples.Take(k).ToList();
                var vote = MajorityVote.Tally([.. samples.Select(s => s.Answer)]);
                var chosen = samples[vote.WinnerIndex ?? 0];
                double? score = escalation == MeanLogprobEscalation.TestName ? chosen.MeanLogprob : vote.Agreement;
                var correct = vote.WinnerIndex is not null && chosen.Correct;
                outcomes.Add(new TierOutcome(vote.Winner, correct, score, arms[tiers[t].Arm].Cost.Of(k), 0, problem.LatencyMs(k)));
                latency[t] = problem.LatencyMs(k);
            }
            problems.Add(new CascadeProblem(first.ProblemId, outcomes));
            latencies.Add(latency);
        }
        return (problems, latencies);
    }

    private static ConfigurationResult Result(ConfigurationSpec spec, IReadOnlyList<double> scores, double cost, IReadOnlyList<double> latencies,
        double confidence, IReadOnlyList<double> answered)
    {
        var accuracy = scores.Count == 0 ? 0 : scores.Average();
        return new ConfigurationResult
        {
            Spec = spec,
            Problems = scores.Count,
            Accuracy = accuracy,
            Lower = WilsonInterval.Lower(accuracy, scores.Count, confidence),
            Upper = WilsonInterval.Upper(accuracy, scores.Count, confidence),
            CostPerProblem = cost,
            LatencyP50Ms = Percentile(latencies, 0.50),
            LatencyP95Ms = Percentile(latencies, 0.95),
            AnsweredShare = answered,
        };
    }

    /// <summary>The nearest-rank percentile (0 of no values).</summary>
    internal static double Percentile(IReadOnlyList<double> values, double share)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(share * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
