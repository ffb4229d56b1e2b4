using System.ComponentModel;

namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// Runs Python programs inside bubblewrap: no network, a read-only view of the system, a private
/// in-memory scratch folder, an unprivileged user, and limits on wall time, CPU time, memory, processes,
/// file size and output. Every process of the program dies when it ends or is killed.
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

    private static readonly Lazy<Availability> CachedAvailability = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

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
        Description = DescribeFor(availability.Version, command);
    }

    private BubblewrapSandbox(BubblewrapCommand command, string pythonPath)
    {
        this.command = command;
        this.pythonPath = pythonPath;
        Description = DescribeFor("bubblewrap", command);
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
        var arguments = command.Build(workspace.ProgramPath, SandboxWorkspace.ProgramFileName, limits,
            [pythonPath, "-B", "-s", SandboxWorkspace.ProgramFileName]);
        // The host side (setpriv, bwrap) gets only PATH; the program's own environment is set inside.
        var hostEnvironment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" };
        return await SandboxProcess.RunAsync(arguments, workspace.DirectoryPath, hostEnvironment, stdin,
            limits.WallTime, limits.MaxOutputBytes, cancellationToken).ConfigureAwait(false);
    }

    private static string DescribeFor(string version, BubblewrapCommand command)
    {
        var user = command.Setpriv is null ? "own user in a user namespace" : $"uid {BubblewrapCommand.UnprivilegedUserId}";
        return $"{version} (no network, read-only system, private in-memory {BubblewrapCommand.WorkDirectory}, {user}, "
            + "limits on wall time, CPU, memory, processes, file size and output)";
    }

    private static Availability Probe()
    {
        var command = BubblewrapCommand.Locate(out var reason);
        if (command is null)
        {
            return new Availability(null, reason, "");
        }
        if (!File.Exists(DefaultPythonPath))
        {
            return new Availability(null, $"{DefaultPythonPath} not found", "");
        }
        try
        {
            var version = ReadVersion(command.Bwrap);
            var probe = new BubblewrapSandbox(command, DefaultPythonPath);
            var limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(30) };
            var result = probe.RunPythonAsync("print('ok')", limits).GetAwaiter().GetResult();
            if (result.Succeeded && result.Stdout.Trim() == "ok")
            {
                return new Availability(command, "", version);
            }
            var detail = LastLine(result.Stderr) ?? (result.TimedOut ? "timed out" : $"exit status {result.ExitCode}");
            return new Availability(null, $"bwrap cannot create a sandbox here: {detail}", "");
        }
        catch (Exception e) when (e is Win32Exception or IOException or UnauthorizedAccessException)
        {
            return new Availability(null, $"bwrap cannot start: {e.Message}", "");
        }
    }

    private static string ReadVersion(string bwrap)
    {
        var result = SandboxProcess.RunAsync([bwrap, "--version"], Path.GetTempPath(),
            new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, stdin: null, TimeSpan.FromSeconds(10),
            maxOutputBytes: 4096, CancellationToken.None).GetAwaiter().GetResult();
        return LastLine(result.Stdout) ?? "bubblewrap";
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    private sealed record Availability(BubblewrapCommand? Command, string Reason, string Version);
}
