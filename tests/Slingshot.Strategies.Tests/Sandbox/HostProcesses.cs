namespace Slingshot.Strategies.Tests.Sandbox;

/// <summary>Looks at the host's process table, to prove a sandboxed program left nothing running.</summary>
internal static class HostProcesses
{
    /// <summary>Python that renames the process (and every child it forks) to <paramref name="name"/>, so it can be found in /proc.</summary>
    public static string RenameTo(string name) =>
        $"import ctypes\nctypes.CDLL(None).prctl(15, b\"{name}\", 0, 0, 0)\n";

    /// <summary>A process name (at most 15 characters) no other process has.</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..(15 - prefix.Length)];

    /// <summary>Ids of live processes named <paramref name="name"/>.</summary>
    public static IReadOnlyList<int> Named(string name)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(folder, "comm")).Trim() == name && !IsZombie(folder))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being looked at.
            }
        }
        return found;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for every process named <paramref name="name"/> to be gone; returns those still there.</summary>
    public static async Task<IReadOnlyList<int>> WaitUntilGoneAsync(string name, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = Named(name);
            if (left.Count == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }
            await Task.Delay(100);
        }
    }

    private static bool IsZombie(string folder) =>
        File.ReadLines(Path.Combine(folder, "status")).Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains('Z'));
}
