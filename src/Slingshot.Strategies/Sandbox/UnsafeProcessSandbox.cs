using System.ComponentModel;

namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// Runs Python programs as plain child processes, with the same time, memory, file-size and output limits
/// but NO isolation: the program can read and write whatever this user can, use the network, and (as
/// root) start any number of processes. Only for machines without bubblewrap, and only when the user
/// explicitly accepts running model-written code that way.
/// </summary>
/// <remarks>
/// The limits are applied with <c>prlimit</c> where it exists (Linux). Without a sandbox of its own the
/// process limit counts all of this user's processes, not just the program's, and root ignores it.
/// </remarks>
public sealed class UnsafeProcessSandbox : ICodeSandbox
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly string pythonPath;
    private readonly string? prlimitPath;

    /// <summary>Creates the runner.</summary>
    /// <param name="pythonPath">The interpreter; by default the first <c>python3</c> on PATH.</param>
    /// <exception cref="SlingshotException">The interpreter does not exist or cannot be executed.</exception>
    public UnsafeProcessSandbox(string? pythonPath = null)
    {
        this.pythonPath = LocatePython(pythonPath);
        prlimitPath = OperatingSystem.IsLinux() ? ExecutableLocator.Find("prlimit") : null;
        var limits = prlimitPath is null ? "timeouts and output cap only" : "rlimits, timeouts and output cap";
        Description = $"UNSAFE: no isolation ({this.pythonPath} as a plain subprocess with {limits})";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public async Task<SandboxResult> RunPythonAsync(string program, SandboxLimits? limits = null, string? stdin = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        limits = SandboxLimitsValidation.Validate(limits, nameof(limits));

        using var workspace = SandboxWorkspace.Create(program, readableByEveryone: false);
        var arguments = new List<string>();
        if (prlimitPath is not null)
        {
            arguments.Add(prlimitPath);
            arguments.AddRange(SandboxLimitsValidation.ToPrlimitOptions(limits, extraProcesses: 0));
            arguments.Add("--");
        }
        arguments.AddRange([pythonPath, "-B", "-s", SandboxWorkspace.ProgramFileName]);
        var environment = new Dictionary<string, string>(BubblewrapCommand.ProgramEnvironment(workspace.DirectoryPath))
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
        };
        try
        {
            return await SandboxProcess.RunAsync(arguments, workspace.DirectoryPath, environment, stdin,
                limits.WallTime, limits.MaxOutputBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            // The interpreter was checked when this runner was made, but it may have gone since.
            throw new SlingshotException($"cannot start {arguments[0]}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The full path of the interpreter, checked now: a missing one would otherwise surface as a process-start
    /// error on the first program, or (under <c>prlimit</c>) as every program failing with exit status 126 or 127.
    /// </summary>
    private static string LocatePython(string? pythonPath)
    {
        var found = ExecutableLocator.Find(pythonPath ?? "python3") ?? throw new SlingshotException(pythonPath is null
            ? "python3 not found on PATH or in the system folders; install Python 3 to run code tasks"
            : $"python interpreter not found at {pythonPath}");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(found) & AnyExecute) == 0)
        {
            throw new SlingshotException($"python interpreter at {found} is not executable");
        }
        return found;
    }
}
