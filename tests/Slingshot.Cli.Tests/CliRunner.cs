using System.Diagnostics;

namespace Slingshot.Cli.Tests;

/// <summary>The result of one run of the command.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the built `slingshot` command (Slingshot.Cli.dll) as a real process.</summary>
internal static class CliRunner
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The built command (Slingshot.Cli.dll) the tests run.</summary>
    public static string CliDll { get; } = FindCli();

    /// <summary>
    /// Where the command caches downloads unless a test gives its own folder: never the user's cache. Commands read the
    /// reference data folder by default, so nothing is downloaded here; tests of the cache use fresh folders.
    /// </summary>
    private static readonly string IsolatedCache = Path.Combine(Path.GetTempPath(), "slingshot-cli-tests-cache");

    public static string Stories260K => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "models", "stories260K", "stories260K.gguf"));

    /// <param name="launcher">A command that runs the CLI inside it (for example bubblewrap or a shell setting limits), or null.</param>
    public static CliResult Run(IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? environment = null, string? workingDirectory = null,
        string? cliDll = null, IReadOnlyList<string>? launcher = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(3);
        using var process = Start(args, environment, workingDirectory, cliDll, launcher);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"slingshot {string.Join(' ', args)} did not finish in {limit.TotalSeconds:0} seconds.");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the command without waiting (stdin, stdout and stderr redirected); the caller owns the process.</summary>
    public static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null,
        string? cliDll = null, IReadOnlyList<string>? launcher = null)
    {
        var info = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? RepoRoot,
        };
        if (launcher is { Count: > 0 })
        {
            foreach (var arg in launcher.Skip(1))
            {
                info.ArgumentList.Add(arg);
            }
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(cliDll ?? CliDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["SLINGSHOT_MODEL"] = "";
        // Benchmarks read the reference copies beside the repository; tests of the download path clear this.
        info.Environment["SLINGSHOT_DATASETS"] = TestPaths.Datasets;
        info.Environment["SLINGSHOT_DATASETS_MIRROR"] = "";
        info.Environment["SLINGSHOT_CACHE_DIR"] = IsolatedCache;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        return Process.Start(info)!;
    }

    public static CliResult Run(params string[] args) => Run((IEnumerable<string>)args);

    private static string FindCli()
    {
        // Tests built as Debug or Release run the command built the same way.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(RepoRoot, "src", "Slingshot.Cli", "bin", configuration, "net10.0", "Slingshot.Cli.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the command first: {path} is missing.");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Slingshot.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Slingshot.slnx not found above the test folder.");
    }
}
