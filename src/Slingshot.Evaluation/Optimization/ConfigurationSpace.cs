using Slingshot.Evaluation.Cascades;
using Slingshot.Evaluation.Metrics;
using Slingshot.Strategies.Cascades;

namespace Slingshot.Evaluation.Optimization;

/// <summary>What a task allows a configuration to do with its samples.</summary>
/// <param name="HasAnswers">The task extracts short answers: majority vote and cascades apply.</param>
/// <param name="HasExecutableVerifier">The task's verifier runs without the reference (unit tests): verifier selection applies.</param>
public readonly record struct TaskAbilities(bool HasAnswers, bool HasExecutableVerifier);

/// <summary>
/// Every configuration the stored samples can measure, measured: each arm alone at k = 1, 2, 4, ... n with each
/// selection the task allows, and two- and three-tier cascades between candidates with thresholds calibrated on the
/// same samples (every threshold combination on the calibration's cost/accuracy frontier is kept).
/// </summary>
public static class ConfigurationSpace
{
    /// <summary>Measures every configuration of <paramref name="arms"/>.</summary>
    /// <param name="arms">The arms' samples on the development split.</param>
    /// <param name="abilities">What the task allows.</param>
    /// <param name="target">The accuracy target (cascade calibration aims at it).</param>
    /// <param name="confidence">Confidence of the Wilson bounds.</param>
    public static IReadOnlyList<ConfigurationResult> Evaluate(IReadOnlyList<ArmData> arms, TaskAbilities abilities, double target, double confidence)
    {
        ArgumentNullException.ThrowIfNull(arms);
        var byKey = arms.Where(a => a.SampleCount > 0).ToDictionary(a => a.Key);
        var results = new List<ConfigurationResult>();
        foreach (var arm in byKey.Values)
        {
            foreach (var spec in Alone(arm, abilities))
            {
                results.Add(ConfigurationEvaluator.Evaluate(spec, byKey, confidence));
            }
        }
        if (abilities.HasAnswers)
        {
            results.AddRange(Cascades(byKey, target, confidence));
        }
        return results;
    }

    /// <summary>The sample budgets of an arm with n samples per problem: 1, 2, 4, ... and n (only 1 for greedy decoding).</summary>
    public static IReadOnlyList<int> Budgets(ArmData arm)
    {
        ArgumentNullException.ThrowIfNull(arm);
        return arm.Key.IsSampled ? PassAtK.Budgets(arm.SampleCount) : arm.SampleCount > 0 ? [1] : [];
    }

    private static IEnumerable<ConfigurationSpec> Alone(ArmData arm, TaskAbilities abilities)
    {
        foreach (var k in Budgets(arm))
        {
            var tier = new[] { new TierSpec(arm.Key, k) };
            if (k == 1)
            {
                yield return new ConfigurationSpec { Kind = ConfigurationKind.Single, Tiers = tier };
                continue;
            }
            if (abilities.HasAnswers)
            {
                yield return new ConfigurationSpec { Kind = ConfigurationKind.Vote, Tiers = tier };
            }
            if (arm.HasLogprobs)
            {
                yield return new ConfigurationSpec { Kind = ConfigurationKind.LogprobBest, Tiers = tier };
            }
            if (abilities.HasExecutableVerifier)
            {
                yield return new ConfigurationSpec { Kind = ConfigurationKind.Verifier, Tiers = tier };
            }
        }
    }

    /// <summary>
    /// Cascades between arms of different candidates, cheaper tier first (by the cost of one sample). Two tiers: the
    /// first at each of its budgets, the second at 1 sample or its most. Three tiers: 1 sample or the most at the first two,
    /// 1 at the last. Each tier structure and escalation test is calibrated for the target; its frontier is kept.
    /// </summary>
    private static List<ConfigurationResult> Cascades(Dictionary<ArmKey, ArmData> arms, double target, double confidence)
    {
        var ordered = arms.Values.Where(a => double.IsFinite(a.Cost.Of(1)))
            .OrderBy(a => a.Cost.Of(1)).ThenBy(a => a.Key.Candidate, StringComparer.Ordinal).ThenBy(a => a.Key.Temperature).ToList();
        var structures = new List<TierSpec[]>();
        for (var i = 0; i < ordered.Count; i++)
        {
            for (var j = i + 1; j < ordered.Count; j++)
            {
                if (ordered[i].Key.Candidate == ordered[j].Key.Candidate)
                {
                    continue;
                }
                foreach (var k1 in Budgets(ordered[i]))
                {
                    foreach (var k2 in Ends(ordered[j]))
                    {
                        structures.Add([new TierSpec(ordered[i].Key, k1), new TierSpec(ordered[j].Key, k2)]);
                    }
                }
                for (var l = j + 1; l < ordered.Count; l++)
                {
                    if (ordered[l].Key.Candidate == ordered[i].Key.Candidate || ordered[l].Key.Candidate == ordered[j].Key.Candidate)
                    {
                        continue;
                    }
                    foreach (var k1 in Ends(ordered[i]))
                    {
                        foreach (var k2 in Ends(ordered[j]))
                        {
                            structures.Add([new TierSpec(ordered[i].Key, k1), new TierSpec(ordered[j].Key, k2), new TierSpec(ordered[l].Key, 1)]);
                        }
                    }
                }
            }
        }
        var results = new List<ConfigurationResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tiers in structures)
        {
            foreach (var escalation in Escalations(tiers, arms))
            {
                var (problems, _) = ConfigurationEvaluator.CascadeProblems(tiers, escalation, arms);
                if (problems.Count == 0)
                {
                    continue;
                }
                var calibration = CascadeCalibrator.Calibrate(problems, CalibrationObjective.ReachAccuracy(target, confidence));
                foreach (var point in calibration.Frontier.Append(calibration.Chosen))
                {
                    var spec = new ConfigurationSpec { Kind = ConfigurationKind.Cascade, Tiers = tiers, Escalation = escalation, Thresholds = point.Thresholds };
                    if (seen.Add(spec.Name))
                    {
                        results.Add(ConfigurationEvaluator.Evaluate(spec, arms, confidence));
                    }
                }
            }
        }
        return results;
    }

    /// <summary>1 sample, and the arm's most when it samples.</summary>
    private static IEnumerable<int> Ends(ArmData arm) => Budgets(arm).Count > 1 ? [1, arm.SampleCount] : [1];

    /// <summary>
    /// Agreement always (with one sample it escalates unanswered problems); log-probability for two tiers when the first
    /// has them. Not for three: a log-probability takes a distinct value on almost every problem, and calibration replays
    /// every pair of two tiers' distinct scores (up to 257² on every problem), too slow to do for every structure.
    /// </summary>
    private static IEnumerable<string> Escalations(TierSpec[] tiers, Dictionary<ArmKey, ArmData> arms)
    {
        yield return AgreementEscalation.TestName;
        if (tiers.Length == 2 && arms[tiers[0].Arm].HasLogprobs)
        {
            yield return MeanLogprobEscalation.TestName;
        }
    }
}
