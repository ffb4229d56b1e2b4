using Slingshot.Native.Interop;

namespace Slingshot.Generation;

/// <summary>
/// The k highest logits of a vocabulary as llama.cpp candidates, best first. A sampler chain that starts with
/// top-k then sees only those k (already sorted, so its top-k step does nothing) instead of a copy of the whole
/// vocabulary: with 16 sequences and 32000 tokens that copy is 6 MB per decode step.
/// </summary>
internal static class TopKSelection
{
    /// <summary>Largest k selected here; llama.cpp itself switches to a bucket sort above it.</summary>
    public const int MaxK = 128;

    /// <summary>
    /// Writes the <paramref name="k"/> highest of <paramref name="logits"/> into the start of
    /// <paramref name="candidates"/>, highest first (equal logits in token order), and returns how many it wrote.
    /// </summary>
    public static int Select(ReadOnlySpan<float> logits, int k, Span<LlamaTokenData> candidates)
    {
        k = Math.Min(k, logits.Length);
        var heap = candidates[..k];
        for (var i = 0; i < k; i++)
        {
            heap[i] = new LlamaTokenData { Id = new LlamaToken(i), Logit = logits[i] };
            SiftUp(heap, i);
        }
        // heap[0] is the weakest kept candidate: a token enters only by beating it.
        for (var i = k; i < logits.Length; i++)
        {
            if (logits[i] > heap[0].Logit)
            {
                heap[0] = new LlamaTokenData { Id = new LlamaToken(i), Logit = logits[i] };
                SiftDown(heap, 0);
            }
        }
        heap.Sort(static (a, b) => b.Logit != a.Logit ? b.Logit.CompareTo(a.Logit) : a.Id.Value.CompareTo(b.Id.Value));
        return k;
    }

    // A min-heap on (logit, then higher id weaker), so that among equal logits the lowest ids are kept.
    private static bool Weaker(in LlamaTokenData a, in LlamaTokenData b) =>
        a.Logit < b.Logit || (a.Logit == b.Logit && a.Id.Value > b.Id.Value);

    private static void SiftUp(Span<LlamaTokenData> heap, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Weaker(heap[i], heap[parent]))
            {
                return;
            }
            (heap[i], heap[parent]) = (heap[parent], heap[i]);
            i = parent;
        }
    }

    private static void SiftDown(Span<LlamaTokenData> heap, int i)
    {
        while (true)
        {
            var left = 2 * i + 1;
            if (left >= heap.Length)
            {
                return;
            }
            var weakest = left + 1 < heap.Length && Weaker(heap[left + 1], heap[left]) ? left + 1 : left;
            if (!Weaker(heap[weakest], heap[i]))
            {
                return;
            }
            (heap[i], heap[weakest]) = (heap[weakest], heap[i]);
            i = weakest;
        }
    }
}
