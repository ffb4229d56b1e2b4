using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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
    /// as the server listens). The caller runs it and disposes the catalog afterwards.
    /// </summary>
    /// <exception cref="SlingshotException">No API key on a non-loopback address without the explicit opt-out.</exception>
    public static WebApplication Build(ServerOptions options, ModelCatalog catalog, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        CheckExposure(options);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
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
        builder.Services.AddSingleton<ServerMetrics>();

        var app = builder.Build();
        app.Use(ErrorsAndMetricsAsync);
        app.Use(AuthenticateAsync);
        app.MapPost("/v1/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        app.MapPost("/v1/completions", CompletionsEndpoint.HandleAsync);
        app.MapGet("/v1/models", InfoEndpoints.Models);
        app.MapGet("/v1/models/{id}", InfoEndpoints.Model);
        app.MapGet("/health", InfoEndpoints.Health);
        app.MapGet("/metrics", InfoEndpoints.Metrics);
        app.MapFallback(context => throw new ApiException(404, $"Unknown endpoint {context.Request.Method} {context.Request.Path}.", code: "unknown_url"));
        return app;
    }

    private static void CheckExposure(ServerOptions options)
    {
        if (options.ApiKeys.Count > 0 || options.AllowUnauthenticatedRemote)
        {
            return;
        }
        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                throw new SlingshotException($"'{url}' is not a URL to listen on (for example http://127.0.0.1:8080).");
            }
            var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                throw new SlingshotException($"Refusing to listen on {url} without an API key: configure one (--api-key) or opt out explicitly (--allow-unauthenticated-remote).");
            }
        }
    }

    private static async Task AuthenticateAsync(HttpContext context, Func<Task> next)
    {
        var options = context.RequestServices.GetRequiredService<ServerOptions>();
        if (options.ApiKeys.Count > 0 && context.Request.Path != "/health")
        {
            var header = context.Request.Headers.Authorization.ToString();
            var key = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
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
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
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
        catch (Exception ex) when (Classify(ex) is { } error)
        {
            errorType = error.Type;
            if (error.Status >= 500)
            {
                logger.LogError(ex, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            }
            if (context.Response.HasStarted)
            {
                // Mid-stream: all that can be done is to end the stream.
                context.Abort();
            }
            else
            {
                if (error.Status == 429)
                {
                    // A full queue drains in about a request's time; tell well-behaved clients when to come back.
                    context.Response.Headers.RetryAfter = "1";
                }
                await ApiException.WriteAsync(context, error.Status, error.Message, error.Type, error.Param, error.Code).ConfigureAwait(false);
            }
        }
        finally
        {
            var status = loggedStatus ?? context.Response.StatusCode;
            metrics.Completed(context, context.Request.Path, status, errorType);
            logger.LogInformation("{Method} {Path} {Status}", context.Request.Method, context.Request.Path, status);
        }
    }

    private static ApiException? Classify(Exception ex) => ex switch
    {
        ApiException api => api,
        ContextLengthExceededException c => new ApiException(400, c.Message, param: "messages", code: "context_length_exceeded"),
        Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 413 } => new ApiException(413, "The request body is too large.", code: "request_too_large"),
        Microsoft.AspNetCore.Http.BadHttpRequestException bad => new ApiException(bad.StatusCode, bad.Message, code: "bad_request"),
        ArgumentException or NotSupportedException or SlingshotException => new ApiException(400, ex.Message),
        _ => new ApiException(500, "The server failed to process the request.", type: "server_error"),
    };
}
