using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Slingshot.Testing;

/// <summary>How the mirror answers for one path.</summary>
public enum MirrorFault
{
    /// <summary>The file's bytes with status 200.</summary>
    None,

    /// <summary>Status 404.</summary>
    NotFound,

    /// <summary>The file's bytes with one byte changed (same length): only the checksum can tell.</summary>
    Corrupt,

    /// <summary>Announces the full length, sends half of the bytes, then drops the connection.</summary>
    Truncated,
}

/// <summary>
/// A real HTTP server on the loopback interface that serves a folder (../shared/datasets in the tests) under the same
/// relative paths as a data set mirror, with per-path faults, so download code is tested against real sockets.
/// </summary>
internal sealed class LoopbackMirror : LoopbackHttpServer
{
    private readonly string _root;
    private readonly ConcurrentDictionary<string, MirrorFault> _faults = new(StringComparer.Ordinal);

    public LoopbackMirror(string root)
    {
        _root = root;
    }

    /// <summary>The mirror's base URL (ends with '/').</summary>
    public Uri BaseUrl => Root;

    /// <summary>Every path requested, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Makes the mirror answer <paramref name="relativePath"/> ("gsm8k/test.jsonl") with <paramref name="fault"/>.</summary>
    public void Fail(string relativePath, MirrorFault fault) => _faults[relativePath] = fault;

    /// <summary>A base URL on the loopback interface where nothing listens: a mirror that is down.</summary>
    public static Uri Down() => new($"http://127.0.0.1:{FreePort()}/");

    protected override void Answer(HttpListenerContext context)
    {
        var relative = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/'));
        Requests.Enqueue(relative);
        var response = context.Response;
        try
        {
            var path = Path.GetFullPath(Path.Combine(_root, relative));
            var fault = _faults.GetValueOrDefault(relative);
            if (fault == MirrorFault.NotFound || !path.StartsWith(Path.GetFullPath(_root), StringComparison.Ordinal) || !File.Exists(path))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            var bytes = File.ReadAllBytes(path);
            response.ContentLength64 = bytes.Length;
            switch (fault)
            {
                case MirrorFault.Corrupt:
                    bytes[bytes.Length / 2] ^= 0x20;
                    response.OutputStream.Write(bytes);
                    response.Close();
                    break;
                case MirrorFault.Truncated:
                    response.OutputStream.Write(bytes, 0, bytes.Length / 2);
                    response.OutputStream.Flush();
                    response.Abort();
                    break;
                default:
                    response.OutputStream.Write(bytes);
                    response.Close();
                    break;
            }
        }
        catch (Exception error) when (error is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away or the mirror is shutting down.
            response.Abort();
        }
    }
}
