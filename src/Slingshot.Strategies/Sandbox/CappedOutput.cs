using System.Text;

namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// Collects a program's stdout and stderr up to one shared byte budget. Reading stops at the budget and the
/// owner is told to kill the program, so a program printing forever costs bounded memory.
/// </summary>
internal sealed class CappedOutput(int maxBytes)
{
    private const int ChunkBytes = 16 * 1024;

    private readonly MemoryStream stdout = new();
    private readonly MemoryStream stderr = new();
    private long totalBytes;
    private volatile bool limitExceeded;

    /// <summary>More than the budget was written; what was kept is the first bytes.</summary>
    public bool LimitExceeded => limitExceeded;

    /// <summary>Standard output kept so far, decoded as UTF-8.</summary>
    public string Stdout => Decode(stdout);

    /// <summary>Standard error kept so far, decoded as UTF-8.</summary>
    public string Stderr => Decode(stderr);

    /// <summary>Copies <paramref name="source"/> into the standard output buffer until it ends or the budget runs out.</summary>
    public Task PumpStdoutAsync(Stream source, Action onLimitExceeded) => PumpAsync(source, stdout, onLimitExceeded);

    /// <summary>Copies <paramref name="source"/> into the standard error buffer until it ends or the budget runs out.</summary>
    public Task PumpStderrAsync(Stream source, Action onLimitExceeded) => PumpAsync(source, stderr, onLimitExceeded);

    private async Task PumpAsync(Stream source, MemoryStream sink, Action onLimitExceeded)
    {
        var buffer = new byte[ChunkBytes];
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }
                var before = Interlocked.Add(ref totalBytes, read) - read;
                var keep = (int)Math.Clamp(maxBytes - before, 0, read);
                lock (sink)
                {
                    sink.Write(buffer, 0, keep);
                }
                if (keep < read)
                {
                    limitExceeded = true;
                    onLimitExceeded();
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The pipe closed under us because the process was killed or disposed: what was read is kept.
        }
    }

    private static string Decode(MemoryStream sink)
    {
        lock (sink)
        {
            return Encoding.UTF8.GetString(sink.GetBuffer(), 0, (int)sink.Length);
        }
    }
}
