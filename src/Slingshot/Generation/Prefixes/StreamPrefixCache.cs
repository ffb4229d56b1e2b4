namespace Slingshot.Generation.Prefixes;

/// <summary>
/// The prefix cache of a split KV cache (a stream per sequence id). Between streams llama.cpp copies only whole
/// streams: a cross-stream llama_memory_seq_cp asserts unless the range is the whole sequence, copies the source
/// stream's entire buffer at the start of the next llama_decode, and replaces everything the destination held. So
/// each cached prompt owns a stream of its own (sequence ids reserved for the cache, after the decode loop's), no
/// two prompts share cells, and reusing one means copying its stream whole into the request's stream and cutting
/// what lies beyond the common prefix. The copies run in the order they were asked for, so a stream copied into a
/// request and overwritten by the next kept prompt in the same step still gives the request its old content:
/// nothing needs pinning.
/// </summary>
internal sealed class StreamPrefixCache : PrefixCache
{
    private readonly IKvSequences _kv;
    private readonly Entry[] _entries;
    private readonly int _minimumReuse;
    private long _clock;

    /// <param name="kv">The context's memory.</param>
    /// <param name="streams">The sequence ids (streams) reserved for cached prompts.</param>
    /// <param name="minimumReuse">
    /// Shortest prefix worth a stream copy: a copy moves the whole stream, so reusing a handful of tokens (a BOS and
    /// a template header) would cost more than prefilling them.
    /// </param>
    /// <param name="statistics">Where lookups, hits, reused tokens and evictions are counted.</param>
    public StreamPrefixCache(IKvSequences kv, IEnumerable<int> streams, int minimumReuse, EngineStatistics statistics) : base(statistics)
    {
        _kv = kv;
        _entries = streams.Select(s => new Entry(s)).ToArray();
        _minimumReuse = Math.Max(1, minimumReuse);
    }

    /// <summary>What each cache stream holds (tests check it against the streams).</summary>
    internal IEnumerable<(int Stream, int[] Tokens)> Entries => _entries.Select(e => (e.Stream, e.Tokens));

    protected override PrefixLease? Acquire(int[] prompt, int cells, int freeCells)
    {
        if (cells > freeCells)
        {
            return null;
        }
        var (best, length) = Longest(prompt.AsSpan(0, prompt.Length - 1));
        if (best is null || length < _minimumReuse)
        {
            return new PrefixLease(0, cells);
        }
        best.LastUsed = ++_clock;
        return new PrefixLease(length, cells, stream: best.Stream);
    }

    public override void Restore(PrefixLease lease, int sequence)
    {
        if (lease.Length > 0)
        {
            _kv.Copy(lease.Stream, sequence, -1, -1);
            _kv.Remove(sequence, lease.Length, -1);
        }
    }

    public override void Release(PrefixLease lease)
    {
    }

    public override void Keep(int sequence, ReadOnlySpan<int> tokens)
    {
        if (tokens.Length < _minimumReuse + 1 || _entries.Length == 0)
        {
            return; // no later prompt could reuse enough of it
        }
        var (holder, length) = Longest(tokens);
        if (holder is not null && length == tokens.Length)
        {
            holder.LastUsed = ++_clock; // already cached, perhaps with more after it
            return;
        }
        // Replace a cached prompt that this one continues, else fill an empty stream, else the least recently used.
        var target = holder is not null && length == holder.Tokens.Length ? holder
            : _entries.FirstOrDefault(e => e.Tokens.Length == 0) ?? _entries.MinBy(e => e.LastUsed)!;
        if (target.Tokens.Length > 0 && target != holder)
        {
            Evicted();
        }
        _kv.Copy(sequence, target.Stream, -1, -1);
        _kv.Remove(target.Stream, tokens.Length, -1); // the sequence may hold more (a forked sample's own tokens)
        target.Tokens = tokens.ToArray();
        target.LastUsed = ++_clock;
        Cached(_entries.Sum(e => e.Tokens.Length));
    }

    public override void Clear()
    {
        foreach (var entry in _entries.Where(e => e.Tokens.Length > 0))
        {
            _kv.Remove(entry.Stream, -1, -1);
            entry.Tokens = [];
        }
        Cached(0);
    }

    /// <summary>The entry sharing the longest prefix with <paramref name="tokens"/>, and that length.</summary>
    private (Entry? Entry, int Length) Longest(ReadOnlySpan<int> tokens)
    {
        Entry? best = null;
        var bestLength = 0;
        foreach (var entry in _entries)
        {
            var common = tokens.CommonPrefixLength(entry.Tokens);
            if (common > bestLength)
            {
                (best, bestLength) = (entry, common);
            }
        }
        return (best, bestLength);
    }

    private sealed class Entry(int stream)
    {
        public int Stream { get; } = stream;
        public int[] Tokens { get; set; } = [];
        public long LastUsed { get; set; }
    }
}
