namespace Slingshot.Cli;

/// <summary>Finds the bundled data (shared/models, shared/datasets) beside a checkout or the installed app.</summary>
internal static class SharedData
{
    /// <summary>The first existing <c>shared/&lt;relative&gt;</c> above the current directory or the app, or null.</summary>
    public static string? Find(string relative, bool directory)
    {
        var wanted = Path.Combine("shared", relative);
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, wanted), Path.Combine(dir.FullName, "..", wanted) })
                {
                    if (directory ? Directory.Exists(candidate) : File.Exists(candidate))
                    {
                        return Path.GetFullPath(candidate);
                    }
                }
            }
        }
        return null;
    }

    /// <summary>The benchmark data: --datasets, else $SLINGSHOT_DATASETS, else shared/datasets beside the checkout.</summary>
    public static string Datasets(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return Directory.Exists(given) ? Path.GetFullPath(given) : throw new SlingshotException($"Datasets directory '{given}' does not exist.");
        }
        var fromEnv = Environment.GetEnvironmentVariable("SLINGSHOT_DATASETS");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return fromEnv;
        }
        return Find("datasets", directory: true)
            ?? throw new SlingshotException("No benchmark data found (shared/datasets); pass --datasets <dir> or set SLINGSHOT_DATASETS.");
    }
}
