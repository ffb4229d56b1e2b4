using System.Globalization;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Selection;

/// <summary>
/// Best-of-n by a verifier's score: every sample is judged and the one with the highest
/// <see cref="Verdict.Score"/> wins (a judge model's P(yes)); ties go to the lowest index. A verdict without a
/// score counts 1 when it passed and 0 when it failed, so pass/fail verifiers work too.
/// </summary>
public static class BestScored
{
    /// <summary>Chooses among samples by their scores; entry i is sample i's (null or NaN: never chosen while another has a score).</summary>
    public static SelectionResult Select(IReadOnlyList<double?> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        int? best = null;
        for (var i = 0; i < scores.Count; i++)
        {
            if (scores[i] is { } value && !double.IsNaN(value) && (best is null || value > scores[best.Value]!.Value))
            {
                best = i;
            }
        }
        if (best is not { } index)
        {
            return new SelectionResult(null, null, null, scores.Count == 0 ? "no samples" : "no sample has a score");
        }
        var score = scores[index]!.Value;
        return new SelectionResult(index, null, Math.Clamp(score, 0, 1),
            string.Create(CultureInfo.InvariantCulture, $"sample {index} has the highest score ({score:F3})"));
    }

    /// <summary>Judges every sample, at most <paramref name="maxParallelism"/> at once, and chooses the highest score.</summary>
    /// <param name="texts">The samples' texts; sample i is the i-th.</param>
    /// <param name="verifier">The judge (thread-safe by contract).</param>
    /// <param name="contextOf">The context of sample i (the question and reference a judge model reads).</param>
    /// <param name="maxParallelism">Samples judged at once.</param>
    /// <param name="cancellationToken">Cancels the judging.</param>
    public static async Task<ScoredSelection> SelectAsync(IReadOnlyList<string> texts, IVerifier verifier,
        Func<int, VerificationContext> contextOf, int maxParallelism = 4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(contextOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        var verdicts = new Verdict[texts.Count];
        using var gate = new SemaphoreSlim(maxParallelism);
        await Task.WhenAll(Enumerable.Range(0, texts.Count).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                verdicts[i] = await verifier.VerifyAsync(texts[i], contextOf(i), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        var selection = Select(verdicts.Select(v => (double?)ScoreOf(v)).ToList());
        return new ScoredSelection(selection, verdicts);
    }

    /// <summary>The verdict's score, or 1/0 for a pass/fail verdict.</summary>
    public static double ScoreOf(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Score ?? (verdict.Passed ? 1 : 0);
    }
}

/// <summary>The outcome of <see cref="BestScored.SelectAsync"/>: the choice and every sample's verdict.</summary>
/// <param name="Selection">The chosen sample (its score as confidence).</param>
/// <param name="Verdicts">Verdict i is sample i's.</param>
public sealed record ScoredSelection(SelectionResult Selection, IReadOnlyList<Verdict> Verdicts);
