using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Slingshot.Server.Endpoints;
using Slingshot.Server.Hosting;

namespace Slingshot.Server.Observability;

/// <summary>
/// The server's own instruments on the <c>Slingshot.Server</c> meter (exported by OpenTelemetry, scraped at
/// <c>GET /metrics</c>): requests by route template and status, latency by route template, tokens in and out and time
/// to first token by model, errors by type, queue depth by model. Every tag comes from a fixed set: routes are
/// templates (<see cref="Routes"/>), models are catalog names, error types the server's own; nothing a client sends
/// (a path, a "model" string) becomes a series.
/// </summary>
public sealed class ServerMetrics
{
    /// <summary>Seconds: requests of small models last milliseconds to a minute.</summary>
    internal static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private const string StartKey = "slingshot.request_start";
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _completionTokens;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _firstToken;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/> (one per host, so two servers in one process never mix).</summary>
    public ServerMetrics(IMeterFactory meters, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(catalog);
        var meter = meters.Create(Telemetry.ServerMeter);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets };
        _requests = meter.CreateCounter<long>("slingshot.server.requests", "{request}",
            "HTTP requests by route template and status (499: the client went away, mid-stream included).");
        _duration = meter.CreateHistogram("slingshot.server.request.duration", "s", "Request latency by route template.", advice: seconds);
        _promptTokens = meter.CreateCounter<long>("slingshot.server.prompt_tokens", "{token}", "Prompt tokens processed (a forked prompt once), by model.");
        _completionTokens = meter.CreateCounter<long>("slingshot.server.completion_tokens", "{token}", "Completion tokens generated, by model.");
        _errors = meter.CreateCounter<long>("slingshot.server.errors", "{error}", "Error responses by OpenAI error type.");
        _firstToken = meter.CreateHistogram("slingshot.server.time_to_first_token", "s",
            "Time from request to first sampled token (streaming), by model.", advice: seconds);
        meter.CreateObservableGauge("slingshot.server.queue_depth", () => catalog.Models.Select(m => new Measurement<int>(m.InFlight, Model(m.Name))),
            "{request}", "Requests waiting or running, by model.");
    }

    /// <summary>Marks the start of a request (for latency and time to first token).</summary>
    public static void Start(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[StartKey] = Stopwatch.GetTimestamp();
    }

    internal void Tokens(string model, TokenUsage usage)
    {
        _promptTokens.Add(usage.PromptTokens, Model(model));
        _completionTokens.Add(usage.CompletionTokens, Model(model));
        Activity.Current?.SetTag("gen_ai.usage.input_tokens", usage.PromptTokens).SetTag("gen_ai.usage.output_tokens", usage.CompletionTokens);
    }

    internal void FirstToken(string model, HttpContext context)
    {
        if (context.Items[StartKey] is long start)
        {
            _firstToken.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, Model(model));
        }
    }

    /// <summary>Records a finished request: the template of its route, status, latency and, for errors, the error type.</summary>
    public void Completed(HttpContext context, int status, string? errorType)
    {
        ArgumentNullException.ThrowIfNull(context);
        var route = new KeyValuePair<string, object?>(Telemetry.RouteTag, Routes.Label(context));
        _requests.Add(1, route, new KeyValuePair<string, object?>(Telemetry.StatusTag, status));
        if (errorType is not null)
        {
            _errors.Add(1, new KeyValuePair<string, object?>(Telemetry.ErrorTypeTag, errorType));
        }
        if (context.Items[StartKey] is long start)
        {
            _duration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, route);
        }
    }

    private static KeyValuePair<string, object?> Model(string name) => new(Telemetry.ModelTag, name);
}
