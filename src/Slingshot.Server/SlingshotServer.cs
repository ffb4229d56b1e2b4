using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slingshot.Server.Configuration;
using Slingshot.Server.Endpoints;
using Slingshot.Server.Hosting;
using Slingshot.Server.Observability;
using Slingshot.Server.OpenAi;

namespace Slingshot.Server;

/// <summary>Builds the OpenAI-compatible server: route table, limits, authentication, errors in OpenAI's format.</summary>
public static class SlingshotServer
{
    /// <summary>
    /// Builds the web application over an already loaded <paramref name="catalog"/> (so /health is ready as soon
    /// as the server listens). The caller runs it and disposes the catalog afterwards. Only <paramref name="options"/>
    /// configure it (no appsettings.json or environment variables of its own). Starting it throws a
    /// <see cref="SlingshotException"/> when an address it bound is not loopback and there is no key nor the opt-out;
    /// it serves no request until that check has passed.
    /// </summary>
    /// <exception cref="SlingshotException">No API key on a non-loopback URL without the explicit opt-out, or a URL that is no URL.</exception>
    public static WebApplication Build(ServerOptions options, ModelCatalog catalog, Action<ILoggingBuilder>? logging = null) =>
        Build(options, catalog, logging, configure: null);

    /// <summary><paramref name="configure"/> lets tests add what an operator's environment could (ambient configuration).</summary>
    internal static WebApplication Build(ServerOptions options, ModelCatalog catalog, Action<ILoggingBuilder>? logging, Action<WebApplicationBuilder>? configure)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ExposureGuard.CheckConfigured(options);

        var builder = WebApplication.CreateSlimBuilder();
        // ServerOptions alone configure the server. The host would otherwise also read appsettings.json from the
        // working directory and unprefixed environment variables, where a "Kestrel:Endpoints" entry adds listen
        // addresses nobody asked for (ExposureGuard would refuse to serve them; better never to bind them).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        // A refused start is reported by the exception StartAsync throws; the host's own multi-line log of it is noise.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            // Slow-loris bodies: a client must send at least 240 bytes/s after a 5 s grace period.
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(catalog);
        Telemetry.AddTo(builder);
        builder.Services.AddSingleton<ExposureGuard>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ExposureGuard>());
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Use(app.Services.GetRequiredService<ExposureGuard>().GateAsync);
        app.Use(ErrorsAndMetricsAsync);
        app.Use(AuthenticateAsync);
        app.MapPost(Routes.ChatCompletions, ChatCompletionsEndpoint.HandleAsync);
        app.MapPost(Routes.Completions, CompletionsEndpoint.HandleAsync);
        app.MapGet(Routes.Models, InfoEndpoints.Models);
        app.MapGet(Routes.Model, InfoEndpoints.Model);
        app.MapGet(Routes.Health, InfoEndpoints.Health);
        Telemetry.MapTo(app);
        app.MapFallback(context => throw new ApiException(404,
            $"Unknown endpoint {LogText.Bounded(context.Request.Method, 16)} {LogText.Bounded(context.Request.Path.Value)}.", code: "unknown_url"));
        return app;
    }

    private static async Task AuthenticateAsync(HttpContext context, Func<Task> next)
    {
        var options = context.RequestServices.GetRequiredService<ServerOptions>();
        if (options.ApiKeys.Count > 0 && context.Request.Path != "/health")
        {
            var key = BearerToken(context.Request.Headers.Authorization.ToString());
            if (key is null || !options.ApiKeys.Any(k => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(k), System.Text.Encoding.UTF8.GetBytes(key))))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                throw new ApiException(401, key is null ? "Missing API key: send 'Authorization: Bearer <key>'." : "Incorrect API key provided.",
                    type: "authentication_error", code: "invalid_api_key");
            }
        }
        await next().ConfigureAwait(false);
    }

    /// <summary>The token of "Bearer &lt;token&gt;"; the scheme is case-insensitive (RFC 9110 section 11.1). Null for any other header.</summary>
    private static string? BearerToken(string header)
    {
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && header.AsSpan(0, space).Equals("Bearer", StringComparison.OrdinalIgnoreCase) ? header[(space + 1)..].Trim() : null;
    }

    /// <summary>
    /// Kestrel's refusal of a body that ended before its Content-Length: the client closed the connection while sending
    /// it (a client giving up early), which is a departure, not a bad request the server refused. Kestrel's reason code
    /// is internal; its message is the one public sign.
    /// </summary>
    private static bool LeftMidBody(Exception ex) =>
        ex is Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 400 } && ex.Message.StartsWith("Unexpected end of request content", StringComparison.Ordinal);

    /// <summary>Every failure becomes OpenAI's error object; nothing a request sends can crash the process.</summary>
    private static async Task ErrorsAndMetricsAsync(HttpContext context, Func<Task> next)
    {
        var metrics = context.RequestServices.GetRequiredService<ServerMetrics>();
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Slingshot.Server");
        ServerMetrics.Start(context);
        var requestId = context.TraceIdentifier;
        context.Response.Headers["x-request-id"] = requestId;
        string? errorType = null;
        int? loggedStatus = null;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId });
        try
        {
            await next().ConfigureAwait(false);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException
            || LeftMidBody(ex))
        {
            // The client went away; its sequences were freed by the cancellation. 499 as nginx logs it (mid-stream
            // the status line is already sent and can no longer change, so only the metrics and the log say 499).
            loggedStatus = 499;
            errorType = "client_closed";
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = 499;
            }
        }
        catch (Exception ex) when (ErrorKinds.Classify(ex, context) is { } error)
        {
            errorType = error.Type;
            System.Diagnostics.Activity.Current?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error.Type)
                .SetTag(Telemetry.ErrorTypeTag, error.Code ?? error.Type);
            if (error.Status >= 500)
            {
                // The request id in the line itself: console formatters leave scopes out by default.
                logger.LogError(ex, "Request {RequestId} {Method} {Path} failed with {Status}", requestId, LogText.Bounded(context.Request.Method, 16),
                    LogText.Bounded(context.Request.Path.Value), error.Status);
            }
            if (context.Response.HasStarted)
            {
                // Mid-stream: all that can be done is to end the stream.
                context.Abort();
            }
            else
            {
                if (error.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                await ApiException.WriteAsync(context, error.Status, error.Message, error.Type, error.Param, error.Code).ConfigureAwait(false);
            }
        }
        finally
        {
            var status = loggedStatus ?? context.Response.StatusCode;
            metrics.Completed(context, status, errorType);
            // The path is the client's: bounded, so a 7 KB path cannot make 7 KB log lines.
            logger.LogInformation("{RequestId} {Method} {Path} {Status}", requestId, LogText.Bounded(context.Request.Method, 16),
                LogText.Bounded(context.Request.Path.Value), status);
        }
    }
}
