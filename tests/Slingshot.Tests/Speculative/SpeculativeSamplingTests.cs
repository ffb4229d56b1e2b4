using Slingshot.Generation.Speculative;

namespace Slingshot.Tests.Speculative;

/// <summary>
/// Speculative sampling must emit tokens distributed exactly as the target's, whatever the draft. These tests
/// draw many seeded samples over tiny vocabularies and compare the counts with the target's exact
/// probabilities by Pearson's chi-square at significance 0.001 (and a total-variation bound), so a biased rule
/// (say, accepting every draft token) fails while the seeded draws make each run identical.
/// </summary>
public sealed class SpeculativeSamplingTests
{
    private static readonly float[] Target = [0.40f, 0.25f, 0.15f, 0.10f, 0.07f, 0.03f];
    private static readonly float[] Draft = [0.10f, 0.10f, 0.40f, 0.20f, 0.10f, 0.10f];

    [Fact]
    public void Sample_OneDraftToken_FollowsTheTargetDistribution()
    {
        var p = TokenDistribution.FromProbabilities(Target);
        var q = TokenDistribution.FromProbabilities(Draft);
        var random = new Random(20260101);
        var counts = new long[Target.Length];
        const int n = 100_000;

        for (var trial = 0; trial < n; trial++)
        {
            var drafted = q.Sample(random);
            var verdict = SpeculativeAcceptance.Sample([drafted], _ => p, _ => q, random);
            counts[verdict.Accepted == 1 ? drafted : verdict.Next]++;
        }

        AssertMatches(counts, Target.Select(x => (double)x).ToArray(), criticalChiSquare: 20.52 /* df 5, alpha 0.001 */);
    }

    [Fact]
    public void Sample_AcceptEveryDraftRule_WouldBeDetected()
    {
        // The same check applied to the draft's own distribution must fail: it guards the test's power.
        var q = TokenDistribution.FromProbabilities(Draft);
        var random = new Random(7);
        var counts = new long[Draft.Length];
        for (var trial = 0; trial < 100_000; trial++)
        {
            counts[q.Sample(random)]++;
        }

        Assert.True(ChiSquare(counts, Target.Select(x => (double)x).ToArray()) > 20.52);
    }

    [Fact]
    public void Sample_DeterministicDrafter_FollowsTheTargetDistribution()
    {
        // Prompt lookup proposes one token with certainty: q is a point mass, the residual is p without it.
        var p = TokenDistribution.FromProbabilities(Target);
        var random = new Random(99);
        var counts = new long[Target.Length];
        const int n = 100_000;

        for (var trial = 0; trial < n; trial++)
        {
            var verdict = SpeculativeAcceptance.Sample([2], _ => p, _ => null, random);
            counts[verdict.Accepted == 1 ? 2 : verdict.Next]++;
        }

        AssertMatches(counts, Target.Select(x => (double)x).ToArray(), criticalChiSquare: 20.52);
    }

    [Fact]
    public void Sample_TwoTokenDraftsOfAMarkovChain_GiveTheTargetJointDistributionOfThreeTokens()
    {
        // Target and draft are first-order Markov chains over 4 tokens; the draft is deliberately different.
        float[][] target = [[0.5f, 0.2f, 0.2f, 0.1f], [0.1f, 0.6f, 0.2f, 0.1f], [0.25f, 0.25f, 0.25f, 0.25f], [0.1f, 0.1f, 0.1f, 0.7f]];
        float[][] draft = [[0.1f, 0.3f, 0.3f, 0.3f], [0.4f, 0.2f, 0.2f, 0.2f], [0.7f, 0.1f, 0.1f, 0.1f], [0.25f, 0.25f, 0.25f, 0.25f]];
        var p = target.Select(row => TokenDistribution.FromProbabilities(row)).ToArray();
        var q = draft.Select(row => TokenDistribution.FromProbabilities(row)).ToArray();
        var random = new Random(4242);
        var counts = new long[64];
        const int n = 300_000;

        for (var trial = 0; trial < n; trial++)
        {
            var emitted = new List<int>();
            var last = 0;
            while (emitted.Count < 3)
            {
                var first = q[last].Sample(random);
                var second = q[first].Sample(random);
                int[] drafted = [first, second];
                int[] contexts = [last, first, second];
                var verdict = SpeculativeAcceptance.Sample(drafted, i => p[contexts[i]], i => q[contexts[i]], random);
                emitted.AddRange(drafted[..verdict.Accepted]);
                emitted.Add(verdict.Next);
                last = emitted[^1];
            }
            counts[emitted[0] * 16 + emitted[1] * 4 + emitted[2]]++;
        }

        var expected = new double[64];
        for (var a = 0; a < 4; a++)
        for (var b = 0; b < 4; b++)
        for (var c = 0; c < 4; c++)
        {
            expected[a * 16 + b * 4 + c] = target[0][a] * target[a][b] * target[b][c];
        }
        // 64 cells: sampling noise alone gives a total variation near 0.006 at this n.
        AssertMatches(counts, expected, criticalChiSquare: 103.44 /* df 63, alpha 0.001 */, maxTotalVariation: 0.015);
    }

    [Fact]
    public void Greedy_RejectsAtTheFirstMismatch_AndGivesTheTargetToken()
    {
        int[] argmax = [5, 6, 9];

        var verdict = SpeculativeAcceptance.Greedy([5, 7], i => argmax[i]);
        var full = SpeculativeAcceptance.Greedy([5, 6], i => argmax[i]);

        Assert.Equal(new DraftVerdict(1, 6), verdict);
        Assert.Equal(new DraftVerdict(2, 9), full);
    }

    private static void AssertMatches(long[] counts, double[] probabilities, double criticalChiSquare, double maxTotalVariation = 0.01)
    {
        var chiSquare = ChiSquare(counts, probabilities);
        Assert.True(chiSquare < criticalChiSquare, $"chi-square {chiSquare:F1} >= {criticalChiSquare} (counts {string.Join(",", counts)})");
        var total = counts.Sum();
        var totalVariation = counts.Select((c, i) => Math.Abs((double)c / total - probabilities[i])).Sum() / 2;
        Assert.True(totalVariation < maxTotalVariation, $"total variation {totalVariation:F4} >= {maxTotalVariation}");
    }

    private static double ChiSquare(long[] counts, double[] probabilities)
    {
        double total = counts.Sum();
        return counts.Select((c, i) => Math.Pow(c - total * probabilities[i], 2) / (total * probabilities[i])).Sum();
    }
}
