using System.Diagnostics;
using System.Text;

namespace Slingshot.Server.Tests.Support;

/// <summary>Runs the node script under node/ that uses the official openai package, installing it (npm ci) once.</summary>
public static class NodeClient
{
    private static string NodeDirectory => Path.Combine(TestPaths.RepoRoot, "tests", "Slingshot.Server.Tests", "node");

    private static readonly Lazy<Task> Installed = new(() => InstallAsync());

    /// <summary>Runs <paramref name="script"/> with the given environment; returns its standard output.</summary>
    public static async Task<string> RunAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        await Installed.Value;
        var (code, output, errors) = await RunProcessAsync("node", [script], environment, TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"node {script} exited with {code}:\n{errors}\n{output}");
        return output;
    }

    private static async Task InstallAsync()
    {
        if (File.Exists(Path.Combine(NodeDirectory, "node_modules", "openai", "package.json")))
        {
            return;
        }
        var (code, output, errors) = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund"], new Dictionary<string, string>(), TimeSpan.FromMinutes(3));
        if (code != 0)
        {
            throw new InvalidOperationException($"npm ci in {NodeDirectory} failed ({code}):\n{errors}\n{output}");
        }
    }

    private static async Task<(int Code, string Output, string Errors)> RunProcessAsync(
        string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = NodeDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var readOutput = Task.Run(async () => output.Append(await process.StandardOutput.ReadToEndAsync()));
        var readErrors = Task.Run(async () => errors.Append(await process.StandardError.ReadToEndAsync()));
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} ran over {timeout}.");
        }
        await Task.WhenAll(readOutput, readErrors);
        return (process.ExitCode, output.ToString(), errors.ToString());
    }
}
