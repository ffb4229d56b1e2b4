namespace Slingshot.Generation.ProxyTuning;

/// <summary>
/// Proxy-tuning's logit arithmetic (Liu et al. 2024): the large base model's log-probabilities shifted by
/// alpha times what tuning changed in the small model, <c>log p_L + alpha (log p_T - log p_B)</c>, normalized
/// again into a distribution. Working on log-softmax values, not raw logits, makes each model's arbitrary
/// offset cancel; after the final normalization both give the same distribution.
/// </summary>
public static class ProxyLogitArithmetic
{
    /// <summary>
    /// Writes the combined log-probabilities into <paramref name="destination"/>. The three inputs are raw logits
    /// (or log-probabilities) over the same vocabulary; they are not modified.
    /// </summary>
    public static void Combine(ReadOnlySpan<float> largeBase, ReadOnlySpan<float> smallBase, ReadOnlySpan<float> smallTuned,
        float alpha, Span<float> destination)
    {
        if (smallBase.Length != largeBase.Length || smallTuned.Length != largeBase.Length || destination.Length != largeBase.Length)
        {
            throw new ArgumentException("The three distributions and the destination must cover the same vocabulary.");
        }
        if (!float.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be a finite number.");
        }
        var logZLarge = LogSoftmax.LogSumExp(largeBase);
        var logZBase = LogSoftmax.LogSumExp(smallBase);
        var logZTuned = LogSoftmax.LogSumExp(smallTuned);
        for (var i = 0; i < destination.Length; i++)
        {
            var shift = alpha == 0 ? 0 : alpha * ((smallTuned[i] - logZTuned) - (smallBase[i] - logZBase));
            var value = largeBase[i] - logZLarge + shift;
            // A token both small models rule out (-inf - -inf) must stay ruled out rather than become NaN.
            destination[i] = double.IsNaN(value) ? float.NegativeInfinity : (float)value;
        }
        LogSoftmax.InPlace(destination);
    }
}
