using System.Diagnostics.Metrics;
using Slingshot.Server.Hosting;

namespace Slingshot.Server.Observability;

/// <summary>
/// The decode loops' own figures on the <c>Slingshot.Engine</c> meter, read from each local model's
/// <see cref="EngineStatistics"/> when metrics are collected: decode calls and batch tokens (their ratio is the batch
/// size), seconds inside llama_decode against seconds busy (how much of the loop's time the forward passes take), active
/// sequences and the prefix cache's counters: the things to look at when a server is slower than its model.
/// Tagged by catalog model name.
/// </summary>
public sealed class EngineMetrics
{
    /// <summary>Creates the observable instruments over the local models of <paramref name="catalog"/>.</summary>
    public EngineMetrics(IMeterFactory meters, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(catalog);
        var meter = meters.Create(Telemetry.EngineMeter);
        IEnumerable<Measurement<T>> Each<T>(Func<EngineStatistics, T> value) where T : struct =>
            catalog.Models.OfType<LocalModel>()
                .Select(m => new Measurement<T>(value(m.Engine.Statistics), new KeyValuePair<string, object?>(Telemetry.ModelTag, m.Name)));

        meter.CreateObservableCounter("slingshot.engine.decode_calls", () => Each(s => s.Decodes), "{call}", "llama_decode calls per local model.");
        meter.CreateObservableCounter("slingshot.engine.batch_tokens", () => Each(s => s.BatchTokens), "{token}",
            "Tokens the batched decode loop put through llama_decode (prompt and generated) per local model.");
        meter.CreateObservableCounter("slingshot.engine.decode_time", () => Each(s => s.DecodeTime.TotalSeconds), "s",
            "Seconds the batched decode loop spent inside llama_decode per local model.");
        meter.CreateObservableCounter("slingshot.engine.busy_time", () => Each(s => s.BusyTime.TotalSeconds), "s",
            "Seconds the decode loop was not idle per local model.");
        meter.CreateObservableGauge("slingshot.engine.active_sequences", () => Each(s => s.Active), "{sequence}",
            "Sequences in the decode loop per local model.");
        meter.CreateObservableCounter("slingshot.engine.prefix_cache.lookups", () => Each(s => s.PrefixCacheLookups), "{lookup}",
            "Requests that looked their prompt up in the prefix cache per local model.");
        meter.CreateObservableCounter("slingshot.engine.prefix_cache.hits", () => Each(s => s.PrefixCacheHits), "{hit}",
            "Lookups that reused at least one cached prompt token per local model.");
        meter.CreateObservableCounter("slingshot.engine.prefix_cache.reused_tokens", () => Each(s => s.PrefixCacheTokensReused), "{token}",
            "Prompt tokens taken from the prefix cache instead of being prefilled per local model.");
        meter.CreateObservableCounter("slingshot.engine.prefix_cache.evictions", () => Each(s => s.PrefixCacheEvictions), "{eviction}",
            "Cached prefixes evicted to make room per local model.");
        meter.CreateObservableGauge("slingshot.engine.prefix_cache.tokens", () => Each(s => s.PrefixCacheTokens), "{token}",
            "KV cells the prefix cache holds per local model.");
    }
}
