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
    private readonly string pythonPath;
    private readonly string? prlimitPath;

    /// <summary>Creates the runner.</summary>
    /// <param name="pythonPath">The interpreter; by default the first <c>python3</c> on PATH.</param>
    public UnsafeProcessSandbox(string? pythonPath = null)
    {
        this.pythonPath = pythonPath ?? ExecutableLocator.Find("python3") ?? "python3";
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
        return await SandboxProcess.RunAsync(arguments, workspace.DirectoryPath, environment, stdin,
            limits.WallTime, limits.MaxOutputBytes, cancellationToken).ConfigureAwait(false);
    }
}
