namespace Slingshot.Strategies.Sandbox;

/// <summary>Finds a program by name the way a shell would, plus the usual system folders when PATH lacks them.</summary>
internal static class ExecutableLocator
{
    private static readonly string[] SystemFolders = ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"];

    /// <summary>The full path of <paramref name="name"/>, or null when no such file exists.</summary>
    public static string? Find(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }
        if (name.Contains(Path.DirectorySeparatorChar) || name.Contains(Path.AltDirectorySeparatorChar))
        {
            // A relative path ("venv/bin/python3") names one file, as in a shell; PATH is not searched.
            var full = Path.GetFullPath(name);
            return File.Exists(full) ? full : null;
        }
        var pathFolders = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var folder in pathFolders.Concat(SystemFolders))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Like <see cref="Find"/>, but only looks in the system folders (readable by every user).</summary>
    public static string? FindInSystemFolders(string name) =>
        SystemFolders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
}
