namespace Slingshot.Generation;

/// <summary>Log-softmax over a vocabulary's logits, in double precision for the normalizer.</summary>
public static class LogSoftmax
{
    /// <summary>Replaces raw logits with their log-probabilities (log-softmax); -infinity stays -infinity.</summary>
    public static void InPlace(Span<float> logits)
    {
        var logZ = LogSumExp(logits);
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)(logits[i] - logZ);
        }
    }

    /// <summary>log(sum(exp(x))) computed stably; -infinity for an empty span or one with only -infinity.</summary>
    public static double LogSumExp(ReadOnlySpan<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var v in values)
        {
            if (v > max) max = v;
        }
        if (float.IsNegativeInfinity(max))
        {
            return double.NegativeInfinity;
        }
        double sum = 0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - max);
        }
        return max + Math.Log(sum);
    }
}
