using System.ComponentModel;

namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// Runs Python programs inside bubblewrap: no network, a read-only view of the system, a private
/// in-memory scratch folder, an unprivileged user, no user namespaces, a seccomp filter
/// (<see cref="SeccompFilter"/>), and limits on wall time, CPU time, memory, processes, file size and
/// output. Every process of the program dies when it ends or is killed.
/// </summary>
/// <remarks>
/// When the host process is root, it drops to the user nobody (65534) before creating the sandbox,
/// because the kernel does not enforce the process limit for root; nobody must therefore be able to read
/// the Python interpreter, which is why the default is the system's <c>/usr/bin/python3</c> rather than
/// whatever <c>python3</c> comes first on PATH.
/// </remarks>
public sealed class BubblewrapSandbox : ICodeSandbox
{
    /// <summary>The interpreter used unless another is given: the system's, readable by every user.</summary>
    public const string DefaultPythonPath = "/usr/bin/python3";

    private const string FilterFileName = "seccomp.bpf";

    private static readonly Lazy<Availability> CachedAvailability = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly byte[] Filter = SeccompFilter.Build();

    private readonly BubblewrapCommand command;
    private readonly string pythonPath;

    /// <summary>Creates the sandbox.</summary>
    /// <param name="pythonPath">The interpreter inside the sandbox; it must lie under a system folder (/usr, /bin).</param>
    /// <exception cref="SandboxUnavailableException">bubblewrap cannot run here (see <see cref="IsAvailable"/>).</exception>
    public BubblewrapSandbox(string? pythonPath = null)
    {
        if (!IsAvailable(out var reason))
        {
            throw new SandboxUnavailableException(reason);
        }
        var availability = CachedAvailability.Value;
        command = availability.Command!;
        this.pythonPath = pythonPath ?? DefaultPythonPath;
        Description = DescribeFor(availability.Version, command, availability.Weakened);
    }

    private BubblewrapSandbox(BubblewrapCommand command, string pythonPath)
    {
        this.command = command;
        this.pythonPath = pythonPath;
        Description = DescribeFor("bubblewrap", command, "");
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>
    /// Whether bubblewrap can confine programs here. The first call really runs a tiny program in the
    /// sandbox (once per process; the answer is cached), so a kernel that forbids user namespaces or a
    /// missing tool shows up as a reason rather than as every program failing later.
    /// </summary>
    /// <param name="reason">Why not, in a few words, when it returns false; empty otherwise.</param>
    public static bool IsAvailable(out string reason)
    {
        var availability = CachedAvailability.Value;
        reason = availability.Reason;
        return availability.Command is not null;
    }

    /// <inheritdoc />
    public async Task<SandboxResult> RunPythonAsync(string program, SandboxLimits? limits = null, string? stdin = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        limits = SandboxLimitsValidation.Validate(limits, nameof(limits));

        using var workspace = SandboxWorkspace.Create(program, readableByEveryone: true);
        // The filter file stays on the host side: only the program file is bound into the sandbox.
        var filterPath = command.SeccompOption is null ? null : workspace.WriteFile(FilterFileName, Filter);
        var arguments = command.Build(workspace.ProgramPath, SandboxWorkspace.ProgramFileName, limits,
            [pythonPath, "-B", "-s", SandboxWorkspace.ProgramFileName], filterPath);
        // The host side (setpriv, bwrap) gets only PATH; the program's own environment is set inside.
        var hostEnvironment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" };
        return await SandboxProcess.RunAsync(arguments, workspace.DirectoryPath, hostEnvironment, stdin,
            limits.WallTime, limits.MaxOutputBytes, cancellationToken).ConfigureAwait(false);
    }

    private static string DescribeFor(string version, BubblewrapCommand command, string weakened)
    {
        var user = command.Setpriv is null ? "own user in a user namespace" : $"uid {BubblewrapCommand.UnprivilegedUserId}";
        var hardening = (command.SeccompOption is null ? "" : "seccomp filter, ")
            + (command.DisableUserNamespaces ? "no user namespaces inside, " : "");
        var caveat = weakened.Length == 0 ? "" : $"; weakened: {weakened}";
        return $"{version} (no network, read-only system, private in-memory {BubblewrapCommand.WorkDirectory}, {user}, "
            + $"{hardening}limits on wall time, CPU, memory, processes, file size and output{caveat})";
    }

    private static Availability Probe()
    {
        var command = BubblewrapCommand.Locate(out var reason);
        if (command is null)
        {
            return new Availability(null, reason, "", "");
        }
        if (!File.Exists(DefaultPythonPath))
        {
            return new Availability(null, $"{DefaultPythonPath} not found", "", "");
        }
        try
        {
            var version = LastLine(RunTool(command.Bwrap, "--version")) ?? "bubblewrap";
            var hardened = command.WithHardeningFrom(RunTool(command.Bwrap, "--help"), out var missing);
            var failure = TryRun(hardened);
            if (failure is null)
            {
                return new Availability(hardened, "", version, missing);
            }
            if (hardened == command || TryRun(command) is not null)
            {
                return new Availability(null, $"bwrap cannot create a sandbox here: {failure}", "", "");
            }
            // A kernel without seccomp or a bubblewrap that cannot disable user namespaces: still isolated,
            // and the description says what is missing.
            return new Availability(command, "", version, $"hardening refused here ({failure})");
        }
        catch (Exception e) when (e is Win32Exception or IOException or UnauthorizedAccessException)
        {
            return new Availability(null, $"bwrap cannot start: {e.Message}", "", "");
        }
    }

    /// <summary>Runs <c>print('ok')</c> confined by <paramref name="command"/>; null when it worked, else why not.</summary>
    private static string? TryRun(BubblewrapCommand command)
    {
        var probe = new BubblewrapSandbox(command, DefaultPythonPath);
        var limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(30) };
        var result = probe.RunPythonAsync("print('ok')", limits).GetAwaiter().GetResult();
        if (result.Succeeded && result.Stdout.Trim() == "ok")
        {
            return null;
        }
        return LastLine(result.Stderr) ?? (result.TimedOut ? "timed out" : $"exit status {result.ExitCode}");
    }

    private static string RunTool(string tool, string option)
    {
        var result = SandboxProcess.RunAsync([tool, option], Path.GetTempPath(),
            new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, stdin: null, TimeSpan.FromSeconds(10),
            maxOutputBytes: 64 * 1024, CancellationToken.None).GetAwaiter().GetResult();
        return result.Stdout + result.Stderr;
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    /// <param name="Command">The command line builder, with the hardening that works here; null when none works.</param>
    /// <param name="Reason">Why bubblewrap cannot run here; empty when it can.</param>
    /// <param name="Version">bubblewrap's own version line.</param>
    /// <param name="Weakened">Hardening this machine lacks, for the description; empty when none.</param>
    private sealed record Availability(BubblewrapCommand? Command, string Reason, string Version, string Weakened);
}
