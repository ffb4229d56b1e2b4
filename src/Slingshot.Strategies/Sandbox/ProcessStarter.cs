using System.Collections.Concurrent;
using System.Diagnostics;

namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// Starts processes from one thread that lives as long as the application.
/// </summary>
/// <remarks>
/// bubblewrap's <c>--die-with-parent</c> uses PR_SET_PDEATHSIG, which fires when the <em>thread</em> that
/// forked the child exits, not the process. Started from a thread-pool thread, a sandboxed program is
/// killed (SIGKILL, status 137) whenever the pool retires that thread, at random moments. Forking from
/// a thread that never ends keeps the signal for what it is meant for: the application dying.
/// </remarks>
internal static class ProcessStarter
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Pending = [];

    static ProcessStarter()
    {
        new Thread(StartAll) { IsBackground = true, Name = "Slingshot sandbox process starter" }.Start();
    }

    /// <summary>Starts <paramref name="process"/> on the long-lived thread; the task ends once it has started.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started.</exception>
    public static Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Pending.Add((process, started));
        return started.Task;
    }

    private static void StartAll()
    {
        foreach (var (process, started) in Pending.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
