using System.Diagnostics;

namespace Slingshot.Cli.Tests;

/// <summary>
/// Makes a folder read-only for the commands under test. chmod does not stop root, so the commands run in bubblewrap with
/// the folder mounted read-only (writes then fail with EROFS for root too); without bubblewrap, a non-root user gets
/// chmod 555. <see cref="Unavailable"/> says why neither works (root without bubblewrap).
/// </summary>
internal sealed class ReadOnlyFolder : IDisposable
{
    private static readonly bool BubblewrapWorks = ProbeBubblewrap();

    private readonly string _path;

    public ReadOnlyFolder(string path)
    {
        _path = path;
        if (BubblewrapWorks)
        {
            Launcher = ["bwrap", "--dev-bind", "/", "/", "--ro-bind", path, path, "--"];
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
    }

    /// <summary>Why a read-only folder cannot be made here, or null.</summary>
    public static string? Unavailable =>
        OperatingSystem.IsWindows() ? "Unix file modes and bubblewrap only"
        : BubblewrapWorks || !Environment.IsPrivilegedProcess ? null
        : "running as root (chmod does not stop root) and bubblewrap cannot mount a folder read-only here";

    /// <summary>What to run the command in (for <see cref="CliRunner.Run(IEnumerable{string}, string?, IDictionary{string, string}?, string?, IReadOnlyList{string}?)"/>), or null.</summary>
    public IReadOnlyList<string>? Launcher { get; }

    /// <summary>Whether a command run the same way as the CLI can create a file in the folder (it must not).</summary>
    public bool CanWrite()
    {
        using var process = Start([.. Launcher ?? [], "sh", "-c", "echo x > \"$0/write-probe\"", _path]);
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    public void Dispose()
    {
        if (!BubblewrapWorks && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static bool ProbeBubblewrap()
    {
        var probe = Directory.CreateTempSubdirectory("slingshot-ro-probe-").FullName;
        try
        {
            using var process = Start(["bwrap", "--dev-bind", "/", "/", "--ro-bind", probe, probe, "--", "true"]);
            return process.WaitForExit(10_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
        finally
        {
            Directory.Delete(probe, recursive: true);
        }
    }

    private static Process Start(IReadOnlyList<string> command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info)!;
    }
}

/// <summary>A fact that needs a read-only folder (<see cref="ReadOnlyFolder"/>): skipped, with the reason, only where none can be made.</summary>
public sealed class ReadOnlyFolderFactAttribute : FactAttribute
{
    public ReadOnlyFolderFactAttribute()
    {
        if (ReadOnlyFolder.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
