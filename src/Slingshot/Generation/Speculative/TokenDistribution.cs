using System.Numerics.Tensors;

namespace Slingshot.Generation.Speculative;

/// <summary>
/// The distribution a sampler chain draws the next token from, computed in managed code so that speculative
/// sampling can compare the target's and the draft's probabilities token by token. It applies the transforms
/// of <see cref="SamplerChainFactory"/> in llama.cpp's order: top-k, then top-p over the top-k set, then
/// min-p, then temperature, then softmax over the survivors. Dense (one slot per token) so lookups are O(1);
/// only the survivors are non-zero, and they are listed in <see cref="Support"/>.
/// </summary>
internal sealed class TokenDistribution
{
    private readonly float[] _probabilities;
    private readonly int[] _support;
    private readonly int[] _order;
    private readonly float[] _orderKeys;
    private int _count;

    public TokenDistribution(int vocabularySize)
    {
        _probabilities = new float[vocabularySize];
        _support = new int[vocabularySize];
        _order = new int[vocabularySize];
        _orderKeys = new float[vocabularySize];
    }

    /// <summary>Number of tokens (slots).</summary>
    public int Size => _probabilities.Length;

    /// <summary>Probability of a token (0 outside the vocabulary or the survivors).</summary>
    public float this[int token] => (uint)token < (uint)_probabilities.Length ? _probabilities[token] : 0f;

    /// <summary>The tokens with non-zero probability.</summary>
    public ReadOnlySpan<int> Support => _support.AsSpan(0, _count);

    /// <summary>A distribution with the given probabilities (normalized here).</summary>
    public static TokenDistribution FromProbabilities(ReadOnlySpan<float> probabilities)
    {
        var result = new TokenDistribution(probabilities.Length);
        double sum = 0;
        foreach (var p in probabilities)
        {
            sum += p;
        }
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] > 0)
            {
                result._probabilities[i] = (float)(probabilities[i] / sum);
                result._support[result._count++] = i;
            }
        }
        return result;
    }

    /// <summary>Recomputes the distribution from raw logits with the sampler settings (which must not be greedy).</summary>
    public void Compute(ReadOnlySpan<float> logits, SamplerSettings settings)
    {
        Clear();
        var n = Math.Min(logits.Length, _probabilities.Length);
        var max = float.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            max = Math.Max(max, logits[i]);
        }

        // Candidates ordered by logit, most likely first, and the mass top-p normalizes by (llama.cpp applies
        // top-p to the top-k set). Min-p keeps a prefix of that order whatever comes before it (its threshold is
        // the maximum's), so tokens below it never need sorting.
        var minLogit = settings.MinP > 0 ? max + MathF.Log(settings.MinP) : float.NegativeInfinity;
        int candidates;
        double topKMass = 0;
        if (settings.TopK > 0 && settings.TopK < n)
        {
            candidates = SelectTopK(logits[..n], settings.TopK);
            for (var i = 0; i < candidates; i++)
            {
                topKMass += Math.Exp(logits[_order[i]] - max);
            }
        }
        else
        {
            candidates = 0;
            for (var i = 0; i < n; i++)
            {
                topKMass += Math.Exp(logits[i] - max);
                if (logits[i] >= minLogit)
                {
                    _order[candidates] = i;
                    _orderKeys[candidates] = -logits[i];
                    candidates++;
                }
            }
        }
        Array.Sort(_orderKeys, _order, 0, candidates);
        var topK = candidates;

        var kept = 0;
        double cumulative = 0;
        while (kept < topK && logits[_order[kept]] >= minLogit)
        {
            cumulative += Math.Exp(logits[_order[kept]] - max) / topKMass;
            kept++;
            if (settings.TopP < 1 && cumulative >= settings.TopP)
            {
                break;
            }
        }
        kept = Math.Max(kept, 1);

        double sum = 0;
        for (var i = 0; i < kept; i++)
        {
            var token = _order[i];
            var weight = Math.Exp((logits[token] - max) / settings.Temperature);
            _probabilities[token] = (float)weight;
            _support[i] = token;
            sum += weight;
        }
        _count = kept;
        for (var i = 0; i < kept; i++)
        {
            _probabilities[_support[i]] = (float)(_probabilities[_support[i]] / sum);
        }
    }

    /// <summary>Draws a token.</summary>
    public int Sample(Random random)
    {
        var u = random.NextDouble();
        double cumulative = 0;
        foreach (var token in Support)
        {
            cumulative += _probabilities[token];
            if (u < cumulative)
            {
                return token;
            }
        }
        return _support[_count - 1];
    }

    /// <summary>
    /// Draws from norm(max(0, this - other)): the residual a rejected draft token leaves, which makes the
    /// accepted-or-resampled token follow this distribution exactly. <paramref name="other"/> null is a point
    /// mass on <paramref name="drafted"/> (a deterministic drafter such as prompt lookup).
    /// </summary>
    public int SampleResidual(TokenDistribution? other, int drafted, Random random)
    {
        double total = 0;
        foreach (var token in Support)
        {
            total += Residual(token, other, drafted);
        }
        if (total <= 0)
        {
            // Only reachable through rounding (the drafted token was rejected, so p > q somewhere).
            return Sample(random);
        }
        var u = random.NextDouble() * total;
        double cumulative = 0;
        var last = _support[_count - 1];
        foreach (var token in Support)
        {
            var r = Residual(token, other, drafted);
            if (r <= 0)
            {
                continue;
            }
            last = token;
            cumulative += r;
            if (u < cumulative)
            {
                return token;
            }
        }
        return last;
    }

    private double Residual(int token, TokenDistribution? other, int drafted)
    {
        var q = other is null ? (token == drafted ? 1.0 : 0.0) : other[token];
        return Math.Max(0, _probabilities[token] - q);
    }

    /// <summary>Puts the k largest logits' tokens into the order buffer (unsorted) with a bounded min-heap: O(n log k).</summary>
    private int SelectTopK(ReadOnlySpan<float> logits, int k)
    {
        var heap = new PriorityQueue<int, float>(k + 1);
        for (var i = 0; i < logits.Length; i++)
        {
            if (heap.Count < k)
            {
                heap.Enqueue(i, logits[i]);
            }
            else if (heap.TryPeek(out _, out var smallest) && logits[i] > smallest)
            {
                heap.EnqueueDequeue(i, logits[i]);
            }
        }
        var count = 0;
        while (heap.TryDequeue(out var token, out var logit))
        {
            _order[count] = token;
            _orderKeys[count] = -logit;
            count++;
        }
        return count;
    }

    private void Clear()
    {
        foreach (var token in Support)
        {
            _probabilities[token] = 0;
        }
        _count = 0;
    }

    /// <summary>The most likely token of raw logits (the first on ties, as llama.cpp's greedy sampler).</summary>
    public static int Argmax(ReadOnlySpan<float> logits)
    {
        // One vectorized pass; it differs from llama.cpp's `>` scan only where NaN or a signed zero is the maximum
        // (it prefers NaN, and +0 over an earlier -0), so those rare cases take the scalar scan.
        var best = TensorPrimitives.IndexOfMax(logits);
        if (best >= 0 && logits[best] != 0 && !float.IsNaN(logits[best]))
        {
            return best;
        }
        best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }
        return best;
    }
}
