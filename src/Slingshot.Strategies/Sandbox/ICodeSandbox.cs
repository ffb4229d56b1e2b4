namespace Slingshot.Strategies.Sandbox;

/// <summary>Resource limits for one sandboxed program.</summary>
public sealed record SandboxLimits
{
    /// <summary>Defaults suited to HumanEval/MBPP-style tests.</summary>
    public static SandboxLimits Default { get; } = new();

    /// <summary>Wall-clock limit; the whole process tree is killed when it passes.</summary>
    public TimeSpan WallTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>CPU-time limit (RLIMIT_CPU).</summary>
    public TimeSpan CpuTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Address-space limit in bytes (RLIMIT_AS), 1 GiB by default.</summary>
    /// <remarks>
    /// The limit holds for each process, not for the program as a whole: a program that forks up to
    /// <see cref="MaxProcesses"/> processes can hold up to <see cref="MaxProcesses"/> × <see cref="MemoryBytes"/>
    /// bytes in all (8 GiB with the defaults). Lower either when several programs run at once on a small machine.
    /// </remarks>
    public long MemoryBytes { get; init; } = 1L << 30;

    /// <summary>Most processes the program may run at once (RLIMIT_NPROC inside the sandbox), 8 by default.</summary>
    /// <remarks>
    /// The kernel counts threads as well as processes. Every process may use up to <see cref="MemoryBytes"/>,
    /// so the worst case for memory is <see cref="MaxProcesses"/> × <see cref="MemoryBytes"/> (8 GiB with the
    /// defaults); the default is low because test programs for HumanEval- and MBPP-style problems need one.
    /// </remarks>
    public int MaxProcesses { get; init; } = 8;

    /// <summary>Most bytes of stdout plus stderr kept; more kills the program.</summary>
    public int MaxOutputBytes { get; init; } = 1 << 20;

    /// <summary>Largest file the program may write (RLIMIT_FSIZE).</summary>
    public long MaxFileBytes { get; init; } = 16L << 20;
}

/// <summary>How a sandboxed program ended.</summary>
/// <param name="ExitCode">Exit status, or null when it was killed.</param>
/// <param name="TimedOut">Killed at the wall-time limit.</param>
/// <param name="OutputLimitExceeded">Killed for writing more than the output limit.</param>
/// <param name="Stdout">Its standard output (up to the limit).</param>
/// <param name="Stderr">Its standard error (up to the limit).</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record SandboxResult(int? ExitCode, bool TimedOut, bool OutputLimitExceeded, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Exit status 0 within every limit.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut && !OutputLimitExceeded;
}

/// <summary>Runs untrusted Python programs. Model-written code is hostile until proven otherwise.</summary>
public interface ICodeSandbox
{
    /// <summary>A one-line description: "bubblewrap 0.8.0 (no network, read-only system, ...)" or "UNSAFE: no isolation".</summary>
    string Description { get; }

    /// <summary>Runs <paramref name="program"/> with python3, <paramref name="stdin"/> on its standard input.</summary>
    Task<SandboxResult> RunPythonAsync(string program, SandboxLimits? limits = null, string? stdin = null,
        CancellationToken cancellationToken = default);
}
