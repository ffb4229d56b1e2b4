namespace Slingshot.Evaluation.Datasets;

/// <summary>
/// Where downloaded benchmark data lives: <c>$SLINGSHOT_CACHE_DIR/datasets</c>, else
/// <c>$XDG_CACHE_HOME/slingshot/datasets</c>, else <c>~/.cache/slingshot/datasets</c>. The folder has the same layout
/// as a local data set folder (gsm8k/test.jsonl, mmlu/test/...), so it is a <c>BenchmarkEnvironment.DatasetRoot</c>.
/// </summary>
public static class DatasetCache
{
    /// <summary>Overrides the cache folder (the data sets go into its <c>datasets</c> subfolder).</summary>
    public const string CacheDirectoryVariable = "SLINGSHOT_CACHE_DIR";

    /// <summary>The data set cache folder for the current user.</summary>
    /// <param name="environment">Reads an environment variable; defaults to the process environment (tests pass their own).</param>
    public static string DefaultDirectory(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var explicitDirectory = environment(CacheDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return Path.GetFullPath(Path.Combine(explicitDirectory, "datasets"));
        }
        var xdg = environment("XDG_CACHE_HOME");
        // The XDG spec says a relative value is invalid and must be ignored.
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.GetFullPath(Path.Combine(xdg, "slingshot", "datasets"));
        }
        var home = environment("HOME");
        if (string.IsNullOrWhiteSpace(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }
        if (string.IsNullOrWhiteSpace(home))
        {
            throw new SlingshotException($"No cache folder: neither {CacheDirectoryVariable}, XDG_CACHE_HOME nor HOME is set; set {CacheDirectoryVariable} or pass --datasets <folder>.");
        }
        return Path.GetFullPath(Path.Combine(home, ".cache", "slingshot", "datasets"));
    }

    /// <summary>The local path of <paramref name="file"/> under <paramref name="root"/>.</summary>
    public static string LocalPath(string root, DatasetFile file)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(file);
        return Path.Combine([root, .. file.Path.Split('/')]);
    }

    /// <summary>
    /// The files of <paramref name="dataset"/> that are not in <paramref name="root"/> with their pinned size. Files only
    /// ever appear there after their checksum was verified (they are renamed into place), so a present file of the
    /// right size is trusted here; <see cref="DatasetDownloader.PullAsync"/> with verification re-checks the bytes.
    /// </summary>
    public static IReadOnlyList<DatasetFile> Missing(string root, DatasetEntry dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Files.Where(file =>
        {
            var info = new FileInfo(LocalPath(root, file));
            return !info.Exists || info.Length != file.Size;
        }).ToList();
    }
}
