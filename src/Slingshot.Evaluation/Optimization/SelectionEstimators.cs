using System.Security.Cryptography;
using System.Text;
using Slingshot.Evaluation.Metrics;
using Slingshot.Strategies.Selection;

namespace Slingshot.Evaluation.Optimization;

/// <summary>
/// Accuracy of a selection over k samples of one problem, estimated from n ≥ k stored samples without bias: the mean
/// over the k-subsets of the n (in index order), as pass@k is. Each stored sample then serves every smaller k.
/// </summary>
public static class SelectionEstimators
{
    /// <summary>Most k-subsets majority vote enumerates; beyond it, this many seeded random subsets are averaged.</summary>
    public const int MaxSubsets = 512;

    /// <summary>Chance that a verifier that passes exactly the correct samples finds one among k: pass@k.</summary>
    public static double Verifier(IReadOnlyList<ArmSample> samples, int k)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return PassAtK.Estimate(samples.Count, samples.Count(s => s.Correct), k);
    }

    /// <summary>
    /// Chance that the sample with the highest mean log-probability among k is correct (ties to the lowest index),
    /// exactly: the sample ranked j-th of n is chosen when it is drawn and none ranked above it is,
    /// C(n-1-j, k-1) / C(n, k) = (k/n) Π_{i&lt;j} (n-k-i)/(n-1-i). Null when a sample lacks a log-probability.
    /// </summary>
    public static double? LogprobBest(IReadOnlyList<ArmSample> samples, int k)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var n = samples.Count;
        Check(n, k);
        if (samples.Any(s => s.MeanLogprob is null))
        {
            return null;
        }
        var ranked = samples.Select((s, i) => (s, i)).OrderByDescending(x => x.s.MeanLogprob!.Value).ThenBy(x => x.i).ToList();
        double chance = (double)k / n, total = 0;
        for (var j = 0; j < n && chance > 0; j++)
        {
            total += ranked[j].s.Correct ? chance : 0;
            chance *= j + 1 < n ? (double)(n - k - j) / (n - 1 - j) : 0;
        }
        return total;
    }

    /// <summary>
    /// Chance that majority vote over k samples picks a correct answer (ties to the answer seen first, samples without
    /// an answer do not vote, no voters is wrong): the mean over every k-subset, or over <see cref="MaxSubsets"/>
    /// subsets drawn with a seed from <paramref name="problemId"/> when there are more (still unbiased, and reproducible).
    /// </summary>
    public static double Majority(IReadOnlyList<ArmSample> samples, int k, string problemId)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var n = samples.Count;
        Check(n, k);
        if (k == n)
        {
            return MajorityCorrect(samples, Enumerable.Range(0, n).ToArray());
        }
        if (Binomial(n, k) <= MaxSubsets)
        {
            double sum = 0;
            var count = 0;
            foreach (var subset in Subsets(n, k))
            {
                sum += MajorityCorrect(samples, subset);
                count++;
            }
            return sum / count;
        }
        var random = new Random(Seed(problemId, k));
        double total = 0;
        var indices = Enumerable.Range(0, n).ToArray();
        for (var draw = 0; draw < MaxSubsets; draw++)
        {
            random.Shuffle(indices);
            var subset = indices[..k];
            Array.Sort(subset);
            total += MajorityCorrect(samples, subset);
        }
        return total / MaxSubsets;
    }

    private static double MajorityCorrect(IReadOnlyList<ArmSample> samples, int[] subset)
    {
        var vote = MajorityVote.Tally([.. subset.Select(i => samples[i].Answer)]);
        return vote.WinnerIndex is { } winner && samples[subset[winner]].Correct ? 1 : 0;
    }

    /// <summary>Every k-subset of 0..n-1, each in increasing order.</summary>
    internal static IEnumerable<int[]> Subsets(int n, int k)
    {
        var indices = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return [.. indices];
            var position = k - 1;
            while (position >= 0 && indices[position] == n - k + position)
            {
                position--;
            }
            if (position < 0)
            {
                yield break;
            }
            indices[position]++;
            for (var i = position + 1; i < k; i++)
            {
                indices[i] = indices[i - 1] + 1;
            }
        }
    }

    private static double Binomial(int n, int k)
    {
        double result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }
        return result;
    }

    private static int Seed(string problemId, int k)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{k}:{problemId}"), hash);
        return BitConverter.ToInt32(hash);
    }

    private static void Check(int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
    }
}
