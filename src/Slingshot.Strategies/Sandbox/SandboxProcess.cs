using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// Runs one prepared command line under a wall-time limit and an output budget: stdin fed then closed,
/// stdout and stderr read as they come, and the whole process tree killed when a limit is hit or the
/// caller cancels.
/// </summary>
internal static class SandboxProcess
{
    /// <summary>
    /// How long to wait for the output pipes to close after the process has exited. A process that escaped
    /// the tree could hold them open forever; its output after this point is not waited for.
    /// </summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Runs <paramref name="arguments"/> (program first) and reports how it ended.</summary>
    /// <param name="arguments">The program and its arguments; no shell is involved.</param>
    /// <param name="workingDirectory">The folder the process starts in.</param>
    /// <param name="environment">The complete environment of the process; nothing is inherited.</param>
    /// <param name="stdin">Text for standard input, or null for an empty one.</param>
    /// <param name="wallTime">Kill the tree after this long.</param>
    /// <param name="maxOutputBytes">Kill the tree after this many bytes of stdout plus stderr.</param>
    /// <param name="cancellationToken">Kills the tree and throws.</param>
    /// <exception cref="Win32Exception">The program could not be started.</exception>
    public static async Task<SandboxResult> RunAsync(IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, string? stdin, TimeSpan wallTime, int maxOutputBytes,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(arguments[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var process = new Process { StartInfo = startInfo };
        var output = new CappedOutput(maxOutputBytes);
        var stopwatch = Stopwatch.StartNew();
        await ProcessStarter.StartAsync(process).ConfigureAwait(false);
        void Kill() => KillTree(process);
        var stdoutPump = output.PumpStdoutAsync(process.StandardOutput.BaseStream, Kill);
        var stderrPump = output.PumpStderrAsync(process.StandardError.BaseStream, Kill);
        var stdinFeed = FeedAsync(process.StandardInput, stdin);

        using var wallClock = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wallClock.CancelAfter(wallTime);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(wallClock.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }
        stopwatch.Stop();

        try
        {
            await Task.WhenAll(stdoutPump, stderrPump, stdinFeed).WaitAsync(DrainGrace, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Something outside the killed tree still holds a pipe; report what arrived in time.
        }

        var killedByUs = timedOut || output.LimitExceeded;
        return new SandboxResult(killedByUs ? null : process.ExitCode, timedOut, output.LimitExceeded,
            output.Stdout, output.Stderr, stopwatch.Elapsed);
    }

    private static async Task FeedAsync(StreamWriter stdin, string? text)
    {
        try
        {
            if (!string.IsNullOrEmpty(text))
            {
                await stdin.WriteAsync(text).ConfigureAwait(false);
                await stdin.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The program exited (or was killed) without reading all of its input.
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or AggregateException or NotSupportedException)
        {
            // Already exited, or a member of the tree vanished while it was being killed.
        }
    }
}
