using System.Diagnostics;

namespace Slingshot;

/// <summary>Live counters of an engine, readable from any thread (for metrics and tests).</summary>
public sealed class EngineStatistics
{
    internal int ActiveSequences;
    internal int QueuedRequests;
    internal long DecodeCalls;
    internal long TokensGenerated;
    internal long BatchedTokens;
    internal long DecodeTicks;
    internal long BusyTicks;
    internal long PrefixLookups;
    internal long PrefixHits;
    internal long PrefixTokensReused;
    internal long PrefixEvictions;
    internal int PrefixCachedTokens;

    /// <summary>Sequences decoding now.</summary>
    public int Active => Volatile.Read(ref ActiveSequences);

    /// <summary>Requests waiting for sequences or KV cells.</summary>
    public int Queued => Volatile.Read(ref QueuedRequests);

    /// <summary>llama_decode calls so far.</summary>
    public long Decodes => Interlocked.Read(ref DecodeCalls);

    /// <summary>Tokens generated so far.</summary>
    public long Tokens => Interlocked.Read(ref TokensGenerated);

    /// <summary>
    /// Tokens the batched decode loop put through llama_decode so far (prompt and generated); divided by the loop's
    /// calls, the mean batch. Speculative requests run beside the loop and count in <see cref="Decodes"/> only.
    /// </summary>
    public long BatchTokens => Interlocked.Read(ref BatchedTokens);

    /// <summary>Time the batched decode loop spent inside llama_decode: the model's forward passes.</summary>
    public TimeSpan DecodeTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref DecodeTicks));

    /// <summary>
    /// Time the decode loop spent on work (not waiting for requests). What it does not spend in
    /// <see cref="DecodeTime"/> is its own overhead: sampling, detokenizing, admitting and ending requests.
    /// </summary>
    public TimeSpan BusyTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref BusyTicks));

    /// <summary>Requests admitted while the prefix cache is on: each looked its prompt up once.</summary>
    public long PrefixCacheLookups => Interlocked.Read(ref PrefixLookups);

    /// <summary>Lookups that reused at least one cached token.</summary>
    public long PrefixCacheHits => Interlocked.Read(ref PrefixHits);

    /// <summary>Prompt tokens taken from the prefix cache instead of being prefilled.</summary>
    public long PrefixCacheTokensReused => Interlocked.Read(ref PrefixTokensReused);

    /// <summary>Cached prefixes dropped to make room (least recently used first).</summary>
    public long PrefixCacheEvictions => Interlocked.Read(ref PrefixEvictions);

    /// <summary>Tokens the prefix cache holds now (KV cells; a prefix shared by several prompts counts once in a shared cache).</summary>
    public int PrefixCacheTokens => Volatile.Read(ref PrefixCachedTokens);
}
