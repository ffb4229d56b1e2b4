using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slingshot.Server.Endpoints;
using Slingshot.Server.Hosting;

namespace Slingshot.Server.Observability;

/// <summary>
/// The server's metrics in Prometheus text format (<c>GET /metrics</c>): requests by endpoint and status, tokens in
/// and out, errors by type, queue depth, active sequences, and histograms of time to first token and latency.
/// Every label comes from a fixed set: endpoints are route templates (<see cref="Routes"/>), models are catalog
/// names, error types the server's own; nothing a client sends (a path, a "model" string) becomes a series.
/// </summary>
public sealed class ServerMetrics
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private const string StartKey = "slingshot.request_start";
    private readonly ConcurrentDictionary<(string Endpoint, int Status), long> _requests = new();
    private readonly ConcurrentDictionary<string, long> _promptTokens = new();
    private readonly ConcurrentDictionary<string, long> _completionTokens = new();
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private readonly ConcurrentDictionary<string, Histogram> _firstToken = new();
    private readonly ConcurrentDictionary<string, Histogram> _latency = new();

    /// <summary>Marks the start of a request (for latency and time to first token).</summary>
    public static void Start(HttpContext context) => context.Items[StartKey] = Stopwatch.GetTimestamp();

    internal void Tokens(string model, TokenUsage usage)
    {
        _promptTokens.AddOrUpdate(model, usage.PromptTokens, (_, v) => v + usage.PromptTokens);
        _completionTokens.AddOrUpdate(model, usage.CompletionTokens, (_, v) => v + usage.CompletionTokens);
    }

    internal void FirstToken(string model, HttpContext context)
    {
        if (context.Items[StartKey] is long start)
        {
            _firstToken.GetOrAdd(model, _ => new Histogram(Buckets)).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    /// <summary>Records a finished request: the template of its route, status, latency and, for errors, the error type.</summary>
    public void Completed(HttpContext context, int status, string? errorType)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = Routes.Label(context);
        _requests.AddOrUpdate((endpoint, status), 1, (_, v) => v + 1);
        if (errorType is not null)
        {
            _errors.AddOrUpdate(errorType, 1, (_, v) => v + 1);
        }
        if (context.Items[StartKey] is long start)
        {
            _latency.GetOrAdd(endpoint, _ => new Histogram(Buckets)).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    /// <summary>Renders every metric in Prometheus text exposition format 0.0.4.</summary>
    public string Render(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var text = new StringBuilder();
        Header(text, "slingshot_requests_total", "counter", "HTTP requests by endpoint and status.");
        foreach (var ((endpoint, status), count) in _requests.OrderBy(r => r.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"slingshot_requests_total{{endpoint=\"{Escape(endpoint)}\",status=\"{status}\"}} {count}\n");
        }
        Counter(text, "slingshot_prompt_tokens_total", "Prompt tokens processed (a forked prompt once).", _promptTokens);
        Counter(text, "slingshot_completion_tokens_total", "Completion tokens generated.", _completionTokens);
        Header(text, "slingshot_errors_total", "counter", "Error responses by OpenAI error type.");
        foreach (var (type, count) in _errors.OrderBy(e => e.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"slingshot_errors_total{{type=\"{Escape(type)}\"}} {count}\n");
        }
        Header(text, "slingshot_queue_depth", "gauge", "Requests waiting or running per model.");
        foreach (var model in catalog.Models)
        {
            text.Append(CultureInfo.InvariantCulture, $"slingshot_queue_depth{{model=\"{Escape(model.Name)}\"}} {model.InFlight}\n");
        }
        Header(text, "slingshot_active_sequences", "gauge", "Sequences in the decode loop per local model.");
        foreach (var model in catalog.Models.Where(m => m.Engine is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"slingshot_active_sequences{{model=\"{Escape(model.Name)}\"}} {model.Engine!.Statistics.Active}\n");
        }
        EngineCounters(text, catalog);
        Histograms(text, "slingshot_time_to_first_token_seconds", "Time from request to first sampled token (streaming), by model.", _firstToken, "model");
        Histograms(text, "slingshot_request_duration_seconds", "Request latency by endpoint.", _latency, "endpoint");
        return text.ToString();
    }

    /// <summary>
    /// The decode loop's own counters: batch size (tokens / calls) and how much of its busy time the forward
    /// passes take, the two things to look at when a server is slower than its model.
    /// </summary>
    private static void EngineCounters(StringBuilder text, ModelCatalog catalog)
    {
        var engines = catalog.Models.Where(m => m.Engine is not null).Select(m => (m.Name, m.Engine!.Statistics)).ToArray();
        (string Name, string Help, Func<EngineStatistics, double> Value)[] counters =
        [
            ("slingshot_decode_calls_total", "llama_decode calls per local model.", s => s.Decodes),
            ("slingshot_batch_tokens_total", "Tokens the batched decode loop put through llama_decode (prompt and generated) per local model.", s => s.BatchTokens),
            ("slingshot_decode_seconds_total", "Seconds the batched decode loop spent inside llama_decode per local model.", s => s.DecodeTime.TotalSeconds),
            ("slingshot_decode_loop_busy_seconds_total", "Seconds the decode loop was not idle per local model.", s => s.BusyTime.TotalSeconds),
            ("slingshot_prefix_cache_lookups_total", "Requests that looked their prompt up in the prefix cache per local model.", s => s.PrefixCacheLookups),
            ("slingshot_prefix_cache_hits_total", "Lookups that reused at least one cached prompt token per local model.", s => s.PrefixCacheHits),
            ("slingshot_prefix_cache_reused_tokens_total", "Prompt tokens taken from the prefix cache instead of being prefilled per local model.", s => s.PrefixCacheTokensReused),
            ("slingshot_prefix_cache_evictions_total", "Cached prefixes evicted to make room per local model.", s => s.PrefixCacheEvictions),
        ];
        foreach (var (name, help, value) in counters)
        {
            Header(text, name, "counter", help);
            foreach (var (model, statistics) in engines)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}{{model=\"{Escape(model)}\"}} {value(statistics)}\n");
            }
        }
        Header(text, "slingshot_prefix_cache_tokens", "gauge", "KV cells the prefix cache holds per local model.");
        foreach (var (model, statistics) in engines)
        {
            text.Append(CultureInfo.InvariantCulture, $"slingshot_prefix_cache_tokens{{model=\"{Escape(model)}\"}} {statistics.PrefixCacheTokens}\n");
        }
    }

    private static void Counter(StringBuilder text, string name, string help, ConcurrentDictionary<string, long> values)
    {
        Header(text, name, "counter", help);
        foreach (var (model, count) in values.OrderBy(v => v.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{{model=\"{Escape(model)}\"}} {count}\n");
        }
    }

    private static void Histograms(StringBuilder text, string name, string help, ConcurrentDictionary<string, Histogram> values, string label)
    {
        Header(text, name, "histogram", help);
        foreach (var (key, histogram) in values.OrderBy(v => v.Key))
        {
            histogram.Render(text, name, $"{label}=\"{Escape(key)}\"");
        }
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
