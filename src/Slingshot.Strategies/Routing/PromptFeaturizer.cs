namespace Slingshot.Strategies.Routing;

/// <summary>
/// Turns a prompt into the feature vector a router scores: shape features first, then hashed word n-grams (term
/// counts, scaled to unit length), then the prompt's embedding (scaled to unit length) when the options name an
/// embedding model. The hash is FNV-1a over the lower-cased n-gram, so a router file means the same thing in every
/// process and on every machine.
/// </summary>
public sealed class PromptFeaturizer
{
    /// <summary>Creates a featurizer; throws <see cref="ArgumentException"/> for options out of range.</summary>
    public PromptFeaturizer(PromptFeatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>What it computes.</summary>
    public PromptFeatureOptions Options { get; }

    /// <summary>Whether <see cref="Featurize"/> needs the prompt's embedding.</summary>
    public bool NeedsEmbedding => Options.EmbeddingModel is not null;

    /// <summary>The features of <paramref name="prompt"/>; <paramref name="embedding"/> is required exactly when <see cref="NeedsEmbedding"/>.</summary>
    public SparseVector Featurize(string prompt, ReadOnlySpan<float> embedding = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var entries = new SortedDictionary<int, float>();
        var offset = 0;
        if (Options.Shape)
        {
            Span<float> shape = stackalloc float[PromptShape.Count];
            PromptShape.Compute(prompt, shape);
            for (var i = 0; i < shape.Length; i++)
            {
                if (shape[i] != 0)
                {
                    entries[i] = shape[i];
                }
            }
            offset += PromptShape.Count;
        }
        if (Options.HashBuckets > 0)
        {
            AddHashedNGrams(prompt, offset, entries);
            offset += Options.HashBuckets;
        }
        if (NeedsEmbedding)
        {
            AddEmbedding(embedding, offset, entries);
        }
        else if (!embedding.IsEmpty)
        {
            throw new ArgumentException("These features take no embedding.", nameof(embedding));
        }
        return new SparseVector([.. entries.Keys], [.. entries.Values]);
    }

    private void AddHashedNGrams(string prompt, int offset, SortedDictionary<int, float> entries)
    {
        var words = Words(prompt);
        var counts = new Dictionary<int, float>();
        var mask = Options.HashBuckets - 1;
        for (var start = 0; start < words.Count; start++)
        {
            var hash = FnvOffset;
            for (var n = 0; n < Options.WordNGrams && start + n < words.Count; n++)
            {
                // Each longer n-gram extends the hash of the shorter one, separated so "ab c" and "a bc" differ.
                hash = n == 0 ? Fnv(hash, words[start]) : Fnv(Fnv(hash, " "), words[start + n]);
                var bucket = offset + (int)(hash & (uint)mask);
                counts[bucket] = counts.GetValueOrDefault(bucket) + 1;
            }
        }
        var norm = MathF.Sqrt(counts.Values.Sum(v => v * v));
        foreach (var (bucket, count) in counts)
        {
            entries[bucket] = count / norm;
        }
    }

    private void AddEmbedding(ReadOnlySpan<float> embedding, int offset, SortedDictionary<int, float> entries)
    {
        if (embedding.Length != Options.EmbeddingDimensions)
        {
            throw new ArgumentException(
                $"The router expects a {Options.EmbeddingDimensions}-dimensional embedding from {Options.EmbeddingModel}; got {embedding.Length} dimensions.",
                nameof(embedding));
        }
        var norm = 0.0;
        foreach (var v in embedding)
        {
            norm += v * (double)v;
        }
        var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0;
        for (var i = 0; i < embedding.Length; i++)
        {
            if (embedding[i] != 0)
            {
                entries[offset + i] = embedding[i] * scale;
            }
        }
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var wordChar = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (wordChar && start < 0)
            {
                start = i;
            }
            else if (!wordChar && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return words;
    }

    private const uint FnvOffset = 2166136261;

    private static uint Fnv(uint hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ (c & 0xFFu)) * 16777619;
            hash = (hash ^ (uint)(c >> 8)) * 16777619;
        }
        return hash;
    }
}
