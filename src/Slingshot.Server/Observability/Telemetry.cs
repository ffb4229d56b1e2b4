using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Slingshot.Server.Endpoints;

namespace Slingshot.Server.Observability;

/// <summary>
/// How the server is observed, the .NET way: <see cref="System.Diagnostics.Metrics"/> meters (<see cref="ServerMeter"/>,
/// <see cref="EngineMeter"/>, ASP.NET Core's own, and Microsoft.Extensions.AI's chat-client instruments under
/// <see cref="ChatClientSource"/>) exported by OpenTelemetry in Prometheus format at <c>GET /metrics</c>, and traces
/// through <see cref="Activities"/> (plus ASP.NET Core's request activity and the chat clients' GenAI spans), which any
/// OpenTelemetry tracer provider or <see cref="ActivityListener"/> can collect.
/// </summary>
internal static class Telemetry
{
    public const string ServerMeter = "Slingshot.Server";
    public const string EngineMeter = "Slingshot.Engine";

    /// <summary>Meter and activity source of the chat clients' OpenTelemetry middleware (GenAI semantic conventions).</summary>
    public const string ChatClientSource = "Slingshot.Server.ChatClients";

    /// <summary>The catalog name of a model; never the string a client sent.</summary>
    public const string ModelTag = "model";
    public const string RouteTag = "http.route";
    public const string StatusTag = "http.response.status_code";
    public const string ErrorTypeTag = "error.type";

    /// <summary>One activity per answered request ("chat {model}" or "text_completion {model}"), tagged with GenAI attributes.</summary>
    public static readonly ActivitySource Activities = new("Slingshot.Server");

    /// <summary>Registers the meters, ASP.NET Core's instrumentation and the Prometheus exporter.</summary>
    public static void AddTo(WebApplicationBuilder builder)
    {
        var own = new OwnMeters();
        builder.Services.AddSingleton(own);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<EngineMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServerMeter, EngineMeter, ChatClientSource)
            .AddAspNetCoreInstrumentation()
            .AddView(own.View)
            // Every scrape is fresh (the default caches one for 300 ms: two scrapes around a request would see the same page).
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
    }

    /// <summary>Serves the metrics at <see cref="Routes.Metrics"/> and creates the instruments before the first scrape.</summary>
    public static void MapTo(WebApplication app)
    {
        app.Services.GetRequiredService<OwnMeters>().Factory = app.Services.GetRequiredService<IMeterFactory>();
        app.Services.GetRequiredService<ServerMetrics>();
        app.Services.GetRequiredService<EngineMetrics>();
        app.MapPrometheusScrapingEndpoint(Routes.Metrics);
    }

    /// <summary>The activity of one request answered by <paramref name="model"/>, or null when nobody listens.</summary>
    public static Activity? StartAnswering(string operation, string model, int n, bool stream)
    {
        var activity = Activities.StartActivity($"{operation} {model}", ActivityKind.Internal);
        activity?.SetTag("gen_ai.operation.name", operation)
            .SetTag("gen_ai.request.model", model)
            .SetTag("gen_ai.request.choice.count", n)
            .SetTag("slingshot.stream", stream);
        return activity;
    }

    /// <summary>
    /// OpenTelemetry subscribes to meters by name, so a second server in the process (tests, an embedding application)
    /// would export this one's instruments, and disposing its meters would end the streams this one's share. Instruments
    /// of another host's <see cref="IMeterFactory"/> are dropped; ASP.NET Core's request duration gets buckets up to a
    /// minute (its default ends at 10 s; a generation can take longer).
    /// </summary>
    internal sealed class OwnMeters
    {
        public IMeterFactory? Factory { get; set; }

        public MetricStreamConfiguration? View(Instrument instrument) =>
            instrument.Meter.Scope is IMeterFactory scope && Factory is { } own && !ReferenceEquals(scope, own) ? MetricStreamConfiguration.Drop
            : instrument.Name == "http.server.request.duration" ? new ExplicitBucketHistogramConfiguration { Boundaries = ServerMetrics.Buckets }
            : null;
    }
}
