namespace Slingshot.Generation.Prefixes;

/// <summary>
/// A cached prefix a running request reuses: how many of its prompt's tokens it takes from the cache, what pins
/// them while it runs, and the KV cells it must reserve beside them.
/// </summary>
internal sealed class PrefixLease
{
    internal PrefixLease(int length, int cells, PrefixNode? node = null, int stream = -1)
    {
        Length = length;
        Cells = cells;
        Node = node;
        Stream = stream;
    }

    /// <summary>Prompt tokens whose cells come from the cache; prefill starts after them.</summary>
    public int Length { get; }

    /// <summary>KV cells admission reserves for the request beside the reused ones (prompt rest and samples).</summary>
    public int Cells { get; }

    /// <summary>Shared layout: the end of the pinned path.</summary>
    internal PrefixNode? Node { get; }

    /// <summary>Split layout: the cache stream copied from.</summary>
    internal int Stream { get; }
}

/// <summary>
/// Prompts whose KV cells outlive their request, so that a later request with the same beginning prefills only
/// the rest. The decode loop asks it at admission (<see cref="TryAdmit"/>, then <see cref="Restore"/> into the
/// request's first sequence), tells it what each sequence held when it ends (<see cref="Keep"/>) and releases the
/// pin when the request is done (<see cref="Release"/>). Implementations differ by KV layout: one cache shares
/// cells between prefixes (<see cref="SharedPrefixCache"/>), a split cache copies whole streams
/// (<see cref="StreamPrefixCache"/>). All of it runs on the decode loop's thread.
/// </summary>
internal abstract class PrefixCache(EngineStatistics statistics)
{
    protected EngineStatistics Statistics { get; } = statistics;

    /// <summary>
    /// Finds the longest cached prefix of <paramref name="prompt"/> that a request may reuse (never its last token,
    /// whose logits the request needs) and pins it. <paramref name="cells"/> is what the request would reserve
    /// without reuse, <paramref name="freeCells"/> what running requests leave free. Evicts unpinned prefixes
    /// (least recently used first) until the request's cells fit; returns null, changing nothing that matters, when
    /// they cannot fit even then (the request waits).
    /// </summary>
    public PrefixLease? TryAdmit(int[] prompt, int cells, int freeCells)
    {
        var lease = Acquire(prompt, cells, freeCells);
        if (lease is not null && IsEnabled)
        {
            Interlocked.Increment(ref Statistics.PrefixLookups);
            if (lease.Length > 0)
            {
                Interlocked.Increment(ref Statistics.PrefixHits);
                Interlocked.Add(ref Statistics.PrefixTokensReused, lease.Length);
            }
        }
        return lease;
    }

    /// <summary>Whether prefixes are kept at all (false for <see cref="NoPrefixCache"/>, which counts no lookups).</summary>
    public virtual bool IsEnabled => true;

    /// <summary>See <see cref="TryAdmit"/>.</summary>
    protected abstract PrefixLease? Acquire(int[] prompt, int cells, int freeCells);

    /// <summary>Gives the request's sequence the lease's cells (positions 0 to <see cref="PrefixLease.Length"/>).</summary>
    public abstract void Restore(PrefixLease lease, int sequence);

    /// <summary>The request that held the lease is done: its prefix may be evicted again.</summary>
    public abstract void Release(PrefixLease lease);

    /// <summary>
    /// A sequence is about to be freed holding the cells of <paramref name="tokens"/> (positions 0 to their length):
    /// keep them for later requests, as far as the cache's size allows. The caller frees the sequence afterwards.
    /// </summary>
    public abstract void Keep(int sequence, ReadOnlySpan<int> tokens);

    /// <summary>Forgets every cached prefix and frees their cells (after a failed decode, when the cells are in doubt).</summary>
    public abstract void Clear();

    protected void Evicted() => Interlocked.Increment(ref Statistics.PrefixEvictions);

    protected void Cached(int tokens) => Volatile.Write(ref Statistics.PrefixCachedTokens, tokens);
}

/// <summary>The cache turned off: nothing is kept, a request fits when its cells are free.</summary>
internal sealed class NoPrefixCache(EngineStatistics statistics) : PrefixCache(statistics)
{
    public override bool IsEnabled => false;

    protected override PrefixLease? Acquire(int[] prompt, int cells, int freeCells) => cells <= freeCells ? new PrefixLease(0, cells) : null;

    public override void Restore(PrefixLease lease, int sequence)
    {
    }

    public override void Release(PrefixLease lease)
    {
    }

    public override void Keep(int sequence, ReadOnlySpan<int> tokens)
    {
    }

    public override void Clear()
    {
    }
}
