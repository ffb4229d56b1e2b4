namespace Slingshot;

/// <summary>Live counters of an engine, readable from any thread (for metrics and tests).</summary>
public sealed class EngineStatistics
{
    internal int ActiveSequences;
    internal int QueuedRequests;
    internal long DecodeCalls;
    internal long TokensGenerated;

    /// <summary>Sequences decoding now.</summary>
    public int Active => Volatile.Read(ref ActiveSequences);

    /// <summary>Requests waiting for sequences or KV cells.</summary>
    public int Queued => Volatile.Read(ref QueuedRequests);

    /// <summary>llama_decode calls so far.</summary>
    public long Decodes => Interlocked.Read(ref DecodeCalls);

    /// <summary>Tokens generated so far.</summary>
    public long Tokens => Interlocked.Read(ref TokensGenerated);
}
