using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Optimization;

namespace Slingshot.Evaluation.Tests.Optimization;

public sealed class SelectionEstimatorsTests
{
    [Fact]
    public void Majority_ThreeSamplesAtTwo_IsTheMeanOverEveryPair()
    {
        // Pairs {0,1}: A,B tie -> A first -> right; {0,2}: A,A -> right; {1,2}: B,A tie -> B first -> wrong.
        ArmSample[] samples = [new("A", true, null), new("B", false, null), new("A", true, null)];

        Assert.Equal(2 / 3.0, SelectionEstimators.Majority(samples, 2, "p"), 12);
    }

    [Fact]
    public void Majority_AtN_MatchesTheRunMetricsMajority()
    {
        ArmSample[] samples = [new(null, false, null), new("B", false, null), new("A", true, null), new("A", true, null), new("B", false, null)];
        var outcome = new ProblemOutcome("p", [.. samples.Select((s, i) => new SampleOutcome(i, s.Answer, s.Correct, null))]);

        Assert.Equal(outcome.MajorityCorrect(5) ? 1 : 0, SelectionEstimators.Majority(samples, 5, "p"));
        Assert.Equal(0, SelectionEstimators.Majority([new(null, true, null)], 1, "p")); // no voters is wrong
    }

    [Fact]
    public void Majority_ManySubsets_SamplesThemReproduciblyAndStaysNearTheExactMean()
    {
        // 20 samples, 12 right ("A"), 8 wrong spread over four answers: C(20,10) subsets are too many to enumerate.
        var samples = Enumerable.Range(0, 20).Select(i => i < 12 ? new ArmSample("A", true, null) : new ArmSample($"w{i % 4}", false, null)).ToArray();

        var estimate = SelectionEstimators.Majority(samples, 10, "p7");

        Assert.Equal(estimate, SelectionEstimators.Majority(samples, 10, "p7"));
        Assert.InRange(estimate, 0.95, 1.0); // A has at least 2 of 10 in every subset; a wrong answer beats it only rarely
    }

    [Fact]
    public void LogprobBest_IsExactlyTheMeanOverEverySubset()
    {
        ArmSample[] samples = [new("a", true, -1), new("b", false, -0.5), new("c", true, -2), new("d", true, -0.5), new("e", false, -3)];
        for (var k = 1; k <= samples.Length; k++)
        {
            var brute = SelectionEstimators.Subsets(samples.Length, k)
                .Average(subset => samples[subset.OrderByDescending(i => samples[i].MeanLogprob).ThenBy(i => i).First()].Correct ? 1.0 : 0.0);

            Assert.Equal(brute, SelectionEstimators.LogprobBest(samples, k)!.Value, 12);
        }
    }

    [Fact]
    public void LogprobBest_ThreeSamplesAtTwo_HandComputed()
    {
        // Ranked by logprob: #1 (wrong) chosen with 2/3, #0 (right) with 1/3, #2 never.
        ArmSample[] samples = [new("a", true, -1), new("b", false, -0.5), new("c", true, -2)];

        Assert.Equal(1 / 3.0, SelectionEstimators.LogprobBest(samples, 2)!.Value, 12);
        Assert.Null(SelectionEstimators.LogprobBest([new("a", true, null), new("b", true, -1)], 1));
    }

    [Fact]
    public void Verifier_IsPassAtK()
    {
        ArmSample[] samples = [new(null, false, null), new(null, true, null), new(null, false, null), new(null, false, null)];

        Assert.Equal(PassAtK.Estimate(4, 1, 2), SelectionEstimators.Verifier(samples, 2), 12);
        Assert.Equal(0.5, SelectionEstimators.Verifier(samples, 2), 12);
    }
}
