namespace Slingshot.Strategies.Sandbox;

/// <summary>Checks limits before a program starts, and turns them into <c>prlimit</c> options.</summary>
internal static class SandboxLimitsValidation
{
    /// <summary>Throws when any limit is zero or negative: a limit that cannot be met would fail every program silently.</summary>
    public static SandboxLimits Validate(SandboxLimits? limits, string paramName)
    {
        limits ??= SandboxLimits.Default;
        Require(limits.WallTime > TimeSpan.Zero, nameof(SandboxLimits.WallTime), paramName);
        Require(limits.CpuTime > TimeSpan.Zero, nameof(SandboxLimits.CpuTime), paramName);
        Require(limits.MemoryBytes > 0, nameof(SandboxLimits.MemoryBytes), paramName);
        Require(limits.MaxProcesses > 0, nameof(SandboxLimits.MaxProcesses), paramName);
        Require(limits.MaxOutputBytes > 0, nameof(SandboxLimits.MaxOutputBytes), paramName);
        Require(limits.MaxFileBytes > 0, nameof(SandboxLimits.MaxFileBytes), paramName);
        return limits;
    }

    /// <summary>
    /// The <c>prlimit</c> options for <paramref name="limits"/>. CPU time is rounded up to whole seconds, as the
    /// kernel counts it; core dumps are off so a crash leaves no file behind.
    /// </summary>
    /// <param name="limits">Validated limits.</param>
    /// <param name="extraProcesses">Processes of the sandbox itself that share the program's process count.</param>
    public static IEnumerable<string> ToPrlimitOptions(SandboxLimits limits, int extraProcesses)
    {
        var cpuSeconds = Math.Max(1L, (long)Math.Ceiling(limits.CpuTime.TotalSeconds));
        yield return $"--cpu={cpuSeconds}";
        yield return $"--as={limits.MemoryBytes}";
        yield return $"--fsize={limits.MaxFileBytes}";
        yield return $"--nproc={(long)limits.MaxProcesses + extraProcesses}";
        yield return "--core=0";
    }

    private static void Require(bool condition, string limitName, string paramName)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(paramName, $"{nameof(SandboxLimits)}.{limitName} must be positive.");
        }
    }
}
