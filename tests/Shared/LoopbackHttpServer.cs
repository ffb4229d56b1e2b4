using System.Net;
using System.Net.Sockets;

namespace Slingshot.Testing;

/// <summary>
/// A real HTTP server on a free loopback port whose answers a subclass writes: the listener, accept loop and shutdown
/// the tests' fake mirrors and endpoints share.
/// </summary>
internal abstract class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    protected LoopbackHttpServer()
    {
        Root = new Uri($"http://127.0.0.1:{FreePort()}/");
        _listener.Prefixes.Add(Root.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The server's root URL (ends with '/').</summary>
    protected Uri Root { get; }

    /// <summary>A free port on the loopback interface (nothing listens there once this returns).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        // Close alone: Stop then Close unregisters the endpoint twice, and the second time the managed listener binds
        // the port again to find it, which fails with "Address already in use" once another test has taken the port.
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener; its exception is expected.
        }
    }

    /// <summary>Answers one request (on a thread-pool thread; requests may overlap).</summary>
    protected abstract void Answer(HttpListenerContext context);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => Answer(context));
        }
    }
}
