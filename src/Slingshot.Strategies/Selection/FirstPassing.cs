using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Selection;

/// <summary>
/// Verifier selection: the first sample, in index order, whose verdict passes. With parallelism p the
/// samples are judged p at a time in index order, and a window is finished before the answer is taken, so
/// the result is always the lowest passing index, as if judged one by one; samples after that window are
/// never judged.
/// </summary>
public static class FirstPassing
{
    /// <summary>Judges samples with one context for all of them.</summary>
    /// <param name="texts">The samples' texts; sample i is the i-th.</param>
    /// <param name="verifier">The judge (thread-safe by contract).</param>
    /// <param name="context">What the verifier may know besides the text; default <see cref="VerificationContext.Empty"/>.</param>
    /// <param name="maxParallelism">Samples judged at once (1 = one by one).</param>
    /// <param name="cancellationToken">Cancels the judging.</param>
    public static Task<FirstPassingResult> SelectAsync(IReadOnlyList<string> texts, IVerifier verifier, VerificationContext? context = null,
        int maxParallelism = 1, CancellationToken cancellationToken = default)
    {
        var shared = context ?? VerificationContext.Empty;
        return SelectAsync(texts, verifier, _ => shared, maxParallelism, cancellationToken);
    }

    /// <summary>Judges samples with a context per sample (for example carrying each sample's extracted answer).</summary>
    /// <param name="texts">The samples' texts; sample i is the i-th.</param>
    /// <param name="verifier">The judge (thread-safe by contract).</param>
    /// <param name="contextOf">The context of sample i.</param>
    /// <param name="maxParallelism">Samples judged at once (1 = one by one).</param>
    /// <param name="cancellationToken">Cancels the judging.</param>
    public static async Task<FirstPassingResult> SelectAsync(IReadOnlyList<string> texts, IVerifier verifier,
        Func<int, VerificationContext> contextOf, int maxParallelism = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(contextOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);

        var verdicts = new Verdict?[texts.Count];
        for (var start = 0; start < texts.Count; start += maxParallelism)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(start + maxParallelism, texts.Count);
            var window = Enumerable.Range(start, end - start)
                .Select(i => verifier.VerifyAsync(texts[i], contextOf(i), cancellationToken).AsTask())
                .ToArray();
            var judged = await Task.WhenAll(window).ConfigureAwait(false);
            judged.CopyTo(verdicts, start);
            for (var i = start; i < end; i++)
            {
                if (verdicts[i]!.Passed)
                {
                    return new FirstPassingResult(i, verdicts);
                }
            }
        }
        return new FirstPassingResult(null, verdicts);
    }
}
