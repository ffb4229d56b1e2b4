using System.Globalization;
using System.Runtime.InteropServices;

namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// Removes the workspaces of graders that died without cleaning up (a kill -9, a crash, a power cut), and
/// nothing else. A workspace's folder name records its owner: the pid namespace, the process id and the
/// process's start time, so a later process can tell that the owner is gone even when its id was reused.
/// </summary>
/// <remarks>
/// A folder is removed only when its name has that form, its owner (same pid namespace) is no longer
/// running, it is a real folder rather than a link, and it belongs to the user this process runs as.
/// Folders from another pid namespace, from older versions (no owner in the name), or of another user are
/// left alone. Linux only: elsewhere there is no /proc to ask.
/// </remarks>
internal static partial class StaleWorkspaces
{
    /// <summary>What every workspace folder name starts with.</summary>
    public const string Prefix = "slingshot-sandbox-";

    private static readonly Lazy<string> Owner = new(() => OwnerOf(Environment.ProcessId) ?? "0-0-0");
    private static int swept;

    /// <summary>The start of this process's workspace folder names: <c>slingshot-sandbox-&lt;pidns&gt;-&lt;pid&gt;-&lt;start&gt;-</c>.</summary>
    public static string NamePrefix => $"{Prefix}{Owner.Value}-";

    /// <summary>Runs <see cref="Remove"/> over <paramref name="root"/> the first time it is called in this process.</summary>
    public static void RemoveOnce(string root)
    {
        if (Interlocked.Exchange(ref swept, 1) == 0)
        {
            try
            {
                Remove(root);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Clearing up after others must never stop this process's own run.
            }
        }
    }

    /// <summary>Deletes the workspaces under <paramref name="root"/> whose owner is gone; returns how many.</summary>
    public static int Remove(string root)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists(root))
        {
            return 0;
        }
        var ownNamespace = Owner.Value.Split('-')[0];
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            var owner = Path.GetFileName(folder)[Prefix.Length..].Split('-');
            if (owner.Length < 4 || owner[0] != ownNamespace || !int.TryParse(owner[1], CultureInfo.InvariantCulture, out var pid)
                || IsRunning(pid, owner[2]) || !IsOwnFolder(folder))
            {
                continue;
            }
            SandboxWorkspace.DeleteTree(folder);
            removed += Directory.Exists(folder) ? 0 : 1;
        }
        return removed;
    }

    /// <summary>"&lt;pid namespace inode&gt;-&lt;pid&gt;-&lt;start time in clock ticks&gt;" of a running process, or null.</summary>
    internal static string? OwnerOf(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return $"0-{pid}-0";
        }
        var start = StartTime(pid);
        var pidNamespace = new string((new FileInfo($"/proc/{pid}/ns/pid").LinkTarget ?? "").Where(char.IsAsciiDigit).ToArray());
        return start is null || pidNamespace.Length == 0 ? null : $"{pidNamespace}-{pid}-{start}";
    }

    private static bool IsRunning(int pid, string startTime) => pid > 0 && StartTime(pid) == startTime;

    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat, after the command name (which may hold spaces and parentheses).</summary>
    private static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static unsafe bool IsOwnFolder(string path)
    {
        const int CurrentDirectory = -100, DoNotFollowLinks = 0x100;
        const uint WantType = 0x1, WantOwner = 0x8;
        const ushort TypeMask = 0xF000, Directory = 0x4000;
        var buffer = stackalloc byte[256];  // struct statx
        if (Statx(CurrentDirectory, path, DoNotFollowLinks, WantType | WantOwner, buffer) != 0)
        {
            return false;
        }
        var owner = *(uint*)(buffer + 20);  // stx_uid
        var mode = *(ushort*)(buffer + 28); // stx_mode
        return (mode & TypeMask) == Directory && owner == GetEffectiveUserId();
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
