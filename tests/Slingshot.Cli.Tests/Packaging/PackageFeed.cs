using System.Diagnostics;
using System.Xml.Linq;

namespace Slingshot.Cli.Tests.Packaging;

/// <summary>The packaging tests share one pack of every package into one local feed.</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "Packaging";
}

/// <summary>
/// Packs the repository's packages once (from the build the tests already ran, so no second compile) into a local
/// folder feed under a fresh temporary folder, with a prerelease version unique to this run, and writes the
/// nuget.config a project outside the repository restores with. Restores put packages into this folder's own cache
/// and read everything else (Microsoft.Extensions.AI, ...) from the user's package cache as a fallback folder: the
/// user's cache is never written with test packages and nothing already there is downloaded again.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public PackageFeed()
    {
        Root = Directory.CreateTempSubdirectory("slingshot-packages-").FullName;
        Directory.CreateDirectory(Feed);
        Version = $"{VersionPrefix()}-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        Pack = DotNet(CliRunner.RepoRoot, "pack", "Slingshot.slnx", "--no-build", "-c", configuration, "-o", Feed, $"-p:VersionSuffix={Version[(Version.IndexOf('-') + 1)..]}");
        File.WriteAllText(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" />
              </config>
              <packageSources>
                <add key="slingshot-test-feed" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="user-packages" value="{UserPackages()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    /// <summary>The temporary folder holding the feed, the nuget.config and whatever the tests create.</summary>
    public string Root { get; }

    /// <summary>The local folder feed.</summary>
    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The nuget.config every restore of the tests uses (found by restores under <see cref="Root"/>).</summary>
    public string NuGetConfig => Path.Combine(Root, "nuget.config");

    /// <summary>The version of every package in the feed: the repository's version prefix with a per-run suffix.</summary>
    public string Version { get; }

    /// <summary>What `dotnet pack` printed.</summary>
    public ProcessResult Pack { get; }

    /// <summary>Runs `dotnet` with <paramref name="args"/> in <paramref name="directory"/>, with no build servers left behind.</summary>
    public static ProcessResult DotNet(string directory, params string[] args) => Run("dotnet", directory, null, args);

    /// <summary>Runs <paramref name="file"/> with a clean environment plus <paramref name="environment"/>.</summary>
    public static ProcessResult Run(string file, string directory, IDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // The test host inherits MSBuild's variables from `dotnet test`; a nested build must not see them.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["UseSharedCompilation"] = "false";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["SLINGSHOT_MODEL"] = "";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 10 minutes.");
        }
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result, $"{file} {string.Join(' ', args)}");
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>The version prefix from the repository's one place for it, Directory.Build.props.</summary>
    private static string VersionPrefix() =>
        XDocument.Load(Path.Combine(CliRunner.RepoRoot, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value.Trim();

    private static string UserPackages()
    {
        var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")
            : configured;
    }
}

/// <summary>The outcome of one process.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, string Command)
{
    public override string ToString() => $"{Command}: exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}
