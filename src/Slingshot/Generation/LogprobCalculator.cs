namespace Slingshot.Generation;

/// <summary>Log-softmax of raw logits: the chosen token's log-probability and the top alternatives.</summary>
internal static class LogprobCalculator
{
    public static TokenLogprob Compute(ReadOnlySpan<float> logits, int chosen, int topCount, Vocabulary vocabulary)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits)
        {
            if (l > max) max = l;
        }
        double sum = 0;
        foreach (var l in logits)
        {
            sum += Math.Exp(l - max);
        }
        var logZ = max + (float)Math.Log(sum);

        var top = new List<TokenProbability>(topCount);
        if (topCount > 0)
        {
            // Keep the topCount largest in a small sorted list: O(vocab * topCount) with topCount <= 20.
            var ids = new List<int>(topCount + 1);
            for (var i = 0; i < logits.Length; i++)
            {
                if (ids.Count == topCount && logits[i] <= logits[ids[^1]])
                {
                    continue;
                }
                var at = ids.Count;
                while (at > 0 && logits[ids[at - 1]] < logits[i]) at--;
                ids.Insert(at, i);
                if (ids.Count > topCount) ids.RemoveAt(ids.Count - 1);
            }
            foreach (var id in ids)
            {
                top.Add(new TokenProbability(id, vocabulary.Detokenize([id]), logits[id] - logZ));
            }
        }
        var chosenProbability = new TokenProbability(chosen, vocabulary.Detokenize([chosen]), logits[chosen] - logZ);
        return new TokenLogprob(chosenProbability, top);
    }
}
