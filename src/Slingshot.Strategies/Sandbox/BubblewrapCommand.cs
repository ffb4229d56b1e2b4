namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// The tools a bubblewrap sandbox runs through, found once, and the command line that confines one program.
/// </summary>
/// <param name="Bwrap">Full path of <c>bwrap</c>.</param>
/// <param name="Prlimit">Full path of <c>prlimit</c> (util-linux); it lies under a system folder, so it is visible inside.</param>
/// <param name="Setpriv">
/// Full path of <c>setpriv</c> when running as root, else null. The kernel does not enforce RLIMIT_NPROC for
/// root, nor for a user namespace created by root, so root first becomes the unprivileged
/// <see cref="UnprivilegedUserId"/> and only then enters the sandbox.
/// </param>
/// <param name="Shell">
/// Full path of <c>sh</c>, which opens the seccomp filter on descriptor <see cref="SeccompDescriptor"/> for
/// bubblewrap: .NET starts processes with only standard input, output and error open.
/// </param>
internal sealed record BubblewrapCommand(string Bwrap, string Prlimit, string? Setpriv, string Shell)
{
    /// <summary>The descriptor bubblewrap reads the seccomp filter from.</summary>
    public const int SeccompDescriptor = 3;

    /// <summary>Pass <c>--disable-userns</c> (bubblewrap 0.8 and later): no user namespaces inside the sandbox.</summary>
    public bool DisableUserNamespaces { get; init; }

    /// <summary>The option that loads a seccomp filter from a descriptor (<c>--add-seccomp-fd</c> or <c>--seccomp</c>), or null for none.</summary>
    public string? SeccompOption { get; init; }

    /// <summary>The user (nobody) that root drops to before entering the sandbox.</summary>
    public const int UnprivilegedUserId = 65534;

    /// <summary>Where the program and its writable scratch space are inside the sandbox.</summary>
    public const string WorkDirectory = "/tmp";

    /// <summary>
    /// Sandbox processes that count against RLIMIT_NPROC besides the program's: bubblewrap's own init
    /// process in the new user namespace.
    /// </summary>
    public const int SandboxOwnProcesses = 1;

    private static readonly string[] SystemFolders = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"];

    /// <summary>
    /// Finds the tools, or returns null with the reason one is missing.
    /// </summary>
    public static BubblewrapCommand? Locate(out string reason)
    {
        if (!OperatingSystem.IsLinux())
        {
            reason = "bubblewrap needs Linux";
            return null;
        }
        var bwrap = ExecutableLocator.FindInSystemFolders("bwrap");
        var prlimit = ExecutableLocator.FindInSystemFolders("prlimit");
        var setpriv = ExecutableLocator.FindInSystemFolders("setpriv");
        var shell = ExecutableLocator.FindInSystemFolders("sh");
        var runsAsRoot = Environment.IsPrivilegedProcess;
        (reason, var found) = (bwrap, prlimit, setpriv, shell) switch
        {
            (null, _, _, _) => ("bwrap not found in /usr/bin or /bin", false),
            (_, null, _, _) => ("prlimit (util-linux) not found", false),
            (_, _, null, _) when runsAsRoot => ("running as root and setpriv (util-linux) not found to drop privileges", false),
            (_, _, _, null) => ("sh not found in /usr/bin or /bin", false),
            _ => ("", true),
        };
        return found ? new BubblewrapCommand(bwrap!, prlimit!, runsAsRoot ? setpriv : null, shell!) : null;
    }

    /// <summary>
    /// This command with the hardening that <paramref name="help"/> (the output of <c>bwrap --help</c>) shows
    /// the installed bubblewrap supports; <paramref name="missing"/> names what it lacks, empty when nothing.
    /// </summary>
    public BubblewrapCommand WithHardeningFrom(string help, out string missing)
    {
        var disableUserNamespaces = help.Contains("--disable-userns", StringComparison.Ordinal);
        var seccompOption = help.Contains("--add-seccomp-fd", StringComparison.Ordinal) ? "--add-seccomp-fd"
            : help.Contains("--seccomp", StringComparison.Ordinal) ? "--seccomp" : null;
        var lacks = new List<string>();
        if (!disableUserNamespaces)
        {
            lacks.Add("no --disable-userns (bubblewrap before 0.8): nested user namespaces are refused by the seccomp filter only");
        }
        if (seccompOption is null)
        {
            lacks.Add("no --seccomp: no system call filter");
        }
        missing = string.Join("; ", lacks);
        return this with { DisableUserNamespaces = disableUserNamespaces, SeccompOption = seccompOption };
    }

    /// <summary>
    /// The command line that runs <paramref name="command"/> confined: its own user, pid, network, IPC, UTS
    /// and cgroup namespaces (so no network at all, and every process dies with the sandbox's init);
    /// the system folders read-only; /dev minimal and read-only; the only writable places a size-limited
    /// private tmpfs at <see cref="WorkDirectory"/> and /dev/shm, both in memory and gone afterwards;
    /// the host file <paramref name="hostProgramPath"/> visible read-only as
    /// <see cref="WorkDirectory"/>/<paramref name="programName"/>; an environment with nothing from ours; no
    /// user namespaces inside (<see cref="DisableUserNamespaces"/>) and, given <paramref name="seccompFilterPath"/>
    /// and a <see cref="SeccompOption"/>, the <see cref="SeccompFilter"/> on every process.
    /// </summary>
    public IReadOnlyList<string> Build(string hostProgramPath, string programName, SandboxLimits limits,
        IEnumerable<string> command, string? seccompFilterPath = null)
    {
        var arguments = new List<string>();
        var filtered = seccompFilterPath is not null && SeccompOption is not null;
        if (filtered)
        {
            // sh opens the filter on descriptor 3 and becomes the rest of the command line, which inherits it.
            arguments.AddRange([Shell, "-c", $"f=$1; shift; exec \"$@\" {SeccompDescriptor}<\"$f\"", "sh", seccompFilterPath!]);
        }
        if (Setpriv is not null)
        {
            arguments.AddRange([Setpriv, $"--reuid={UnprivilegedUserId}", $"--regid={UnprivilegedUserId}", "--clear-groups"]);
        }
        arguments.AddRange([Bwrap, "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session"]);
        if (DisableUserNamespaces)
        {
            arguments.Add("--disable-userns");
        }
        if (filtered)
        {
            arguments.AddRange([SeccompOption!, SeccompDescriptor.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        arguments.AddRange(["--ro-bind", "/usr", "/usr"]);
        foreach (var folder in SystemFolders)
        {
            if (new FileInfo(folder).LinkTarget is { } target)
            {
                arguments.AddRange(["--symlink", target, folder]);
            }
            else if (Directory.Exists(folder))
            {
                arguments.AddRange(["--ro-bind", folder, folder]);
            }
        }
        var scratchBytes = ScratchBytes(limits).ToString(System.Globalization.CultureInfo.InvariantCulture);
        arguments.AddRange(["--proc", "/proc", "--dev", "/dev"]);
        arguments.AddRange(["--size", scratchBytes, "--tmpfs", "/dev/shm", "--remount-ro", "/dev"]);
        arguments.AddRange(["--size", scratchBytes, "--tmpfs", WorkDirectory]);
        arguments.AddRange(["--ro-bind", hostProgramPath, $"{WorkDirectory}/{programName}"]);
        arguments.AddRange(["--chdir", WorkDirectory, "--remount-ro", "/"]);
        arguments.AddRange(["--hostname", "sandbox", "--clearenv"]);
        foreach (var (name, value) in ProgramEnvironment(WorkDirectory))
        {
            arguments.AddRange(["--setenv", name, value]);
        }
        arguments.AddRange(["--", Prlimit]);
        arguments.AddRange(SandboxLimitsValidation.ToPrlimitOptions(limits, SandboxOwnProcesses));
        arguments.Add("--");
        arguments.AddRange(command);
        return arguments;
    }

    /// <summary>
    /// The size of each in-memory scratch filesystem. Its pages are not counted in RLIMIT_AS, so it is kept
    /// to a few largest-allowed files rather than left unbounded.
    /// </summary>
    public static long ScratchBytes(SandboxLimits limits) => Math.Min(limits.MaxFileBytes, long.MaxValue / 4) * 4;

    /// <summary>The whole environment a sandboxed Python program sees.</summary>
    public static IReadOnlyDictionary<string, string> ProgramEnvironment(string home) => new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = home,
        ["TMPDIR"] = home,
        ["LANG"] = "C.UTF-8",
        ["PYTHONIOENCODING"] = "utf-8",
        ["PYTHONDONTWRITEBYTECODE"] = "1",
    };
}
