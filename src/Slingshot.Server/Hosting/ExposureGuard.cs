using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Slingshot.Server.Configuration;
using Slingshot.Server.OpenAi;

namespace Slingshot.Server.Hosting;

/// <summary>
/// "No API key means loopback only", enforced twice: on the configured URLs before anything is built (a clear
/// error early), and on the addresses the server really bound once it listens, whatever configured them. Until
/// the second check has passed every request is refused with 503, so nothing is served on an address that was
/// never checked; when it fails, starting the application throws and the server keeps refusing until stopped.
/// </summary>
internal sealed class ExposureGuard(ServerOptions options, IServer server) : IHostedLifecycleService
{
    private const int Pending = 0, Passed = 1, Failed = 2;
    private int _state;

    /// <summary>Throws when <paramref name="options"/> would listen beyond loopback without a key or the opt-out.</summary>
    /// <exception cref="SlingshotException">A URL that is no URL, or a non-loopback one without a key.</exception>
    public static void CheckConfigured(ServerOptions options)
    {
        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var loopback = IsLoopback(url) ?? throw new SlingshotException(
                $"'{url}' is not a URL to listen on (for example http://127.0.0.1:8080, or http://[::1]:8080 for IPv6).");
            Check(options, url, loopback, "listen on");
        }
    }

    /// <summary>
    /// Whether a listen address (as configured or as Kestrel reports it) is loopback only; null when it is no URL.
    /// The wildcards <c>*</c> and <c>+</c> and <c>0.0.0.0</c> / <c>[::]</c> are every interface.
    /// </summary>
    public static bool? IsLoopback(string url)
    {
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return null;
        }
        // Kestrel binds "localhost" to 127.0.0.1 and [::1] only.
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>Refuses requests until the bound addresses were checked (503, which clients retry).</summary>
    public async Task GateAsync(HttpContext context, Func<Task> next)
    {
        if (Volatile.Read(ref _state) != Passed)
        {
            await ApiException.WriteAsync(context, 503, "The server is not serving requests (it is starting, or refused its listen addresses).",
                "server_error", null, "not_ready").ConfigureAwait(false);
            return;
        }
        await next().ConfigureAwait(false);
    }

    /// <summary>Runs after the server listens: the real addresses, from the server itself.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        try
        {
            if (addresses is not { Count: > 0 })
            {
                throw new SlingshotException("The server reports no listen addresses, so it cannot check that they are loopback only.");
            }
            foreach (var address in addresses)
            {
                Check(options, address, IsLoopback(address) ?? false, "serve on");
            }
        }
        catch
        {
            Volatile.Write(ref _state, Failed);
            throw;
        }
        Volatile.Write(ref _state, Passed);
        return Task.CompletedTask;
    }

    private static void Check(ServerOptions options, string url, bool loopback, string verb)
    {
        if (!loopback && options.ApiKeys.Count == 0 && !options.AllowUnauthenticatedRemote)
        {
            throw new SlingshotException(
                $"Refusing to {verb} {url} without an API key: configure one (--api-key) or opt out explicitly (--allow-unauthenticated-remote).");
        }
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
