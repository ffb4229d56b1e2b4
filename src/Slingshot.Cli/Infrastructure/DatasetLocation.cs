using Slingshot.Evaluation.Datasets;

namespace Slingshot.Cli;

/// <summary>
/// Where the command reads benchmark data: a folder the user names (--datasets, else $SLINGSHOT_DATASETS), used as is
/// and never written to (the offline case); otherwise the user's cache, into which a built-in benchmark's files are
/// downloaded on first use, from a mirror (--datasets-mirror, else $SLINGSHOT_DATASETS_MIRROR) or their pinned sources.
/// </summary>
internal static class DatasetLocation
{
    public const string FolderVariable = "SLINGSHOT_DATASETS";
    public const string MirrorVariable = "SLINGSHOT_DATASETS_MIRROR";

    /// <summary>The data folder for commands that only name files (no download): the given folder, else the cache.</summary>
    public static string Root(string? folderOption) => GivenFolder(folderOption) ?? DatasetCache.DefaultDirectory();

    /// <summary>
    /// The data folder holding <paramref name="needed"/>: the given folder as is, or the cache after downloading what
    /// it lacks (saying so on stderr and showing progress).
    /// </summary>
    public static async Task<string> EnsureAsync(string? folderOption, string? mirrorOption, DatasetEntry? needed, CancellationToken cancellationToken)
    {
        if (GivenFolder(folderOption) is { } folder)
        {
            return folder;
        }
        var cache = DatasetCache.DefaultDirectory();
        if (needed is null)
        {
            return cache;
        }
        var missing = DatasetCache.Missing(cache, needed);
        if (missing.Count == 0)
        {
            return cache;
        }
        var mirror = Mirror(mirrorOption);
        if (mirror is null && missing.FirstOrDefault(f => f.Url is null) is { } unpinned)
        {
            throw new SlingshotException(
                $"{needed.Name} is not in the cache and no public download address is pinned for {unpinned.Path}; pass a folder that holds it (--datasets <folder>) or a mirror (--datasets-mirror <url>).");
        }
        var from = mirror is null ? "its pinned public sources" : mirror.AbsoluteUri;
        Console.Error.WriteLine($"{needed.Name} is not in the cache yet: downloading {missing.Count} file{(missing.Count == 1 ? "" : "s")} ({Bytes(missing.Sum(f => f.Size))}) from {from} into {cache}");
        await PullAsync(cache, mirror, needed, verifyCached: false, cancellationToken).ConfigureAwait(false);
        return cache;
    }

    /// <summary>Downloads <paramref name="dataset"/> into <paramref name="cache"/> with progress on stderr.</summary>
    public static async Task<DatasetPullResult> PullAsync(string cache, Uri? mirror, DatasetEntry dataset, bool verifyCached, CancellationToken cancellationToken)
    {
        using var http = CreateHttpClient();
        var downloader = new DatasetDownloader(http, cache, mirror);
        var progress = new DownloadProgressPrinter(Console.Error, !Console.IsErrorRedirected);
        try
        {
            return await downloader.PullAsync(dataset, verifyCached, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            progress.Finish();
        }
    }

    /// <summary>The mirror base URL from the option or the environment, or null.</summary>
    public static Uri? Mirror(string? option)
    {
        var text = !string.IsNullOrWhiteSpace(option) ? option : Environment.GetEnvironmentVariable(MirrorVariable);
        return string.IsNullOrWhiteSpace(text) ? null : DatasetDownloader.ParseMirror(text);
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 20 => $"{bytes / (double)(1 << 20):0.0} MB",
        >= 1 << 10 => $"{bytes / 1024.0:0} KB",
        _ => $"{bytes} B",
    };

    private static string? GivenFolder(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return Directory.Exists(option) ? Path.GetFullPath(option) : throw new SlingshotException($"Datasets directory '{option}' does not exist.");
        }
        var fromEnv = Environment.GetEnvironmentVariable(FolderVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return Directory.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : throw new SlingshotException($"Datasets directory '{fromEnv}' (from {FolderVariable}) does not exist.");
        }
        return null;
    }

    private static HttpClient CreateHttpClient()
    {
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd($"slingshot/{typeof(DatasetLocation).Assembly.GetName().Version?.ToString(3) ?? "0"}");
        return http;
    }
}

/// <summary>Download progress on stderr: a live line per file on a terminal, one line per finished file otherwise.</summary>
internal sealed class DownloadProgressPrinter(TextWriter writer, bool live) : IProgress<DatasetDownloadProgress>
{
    private DateTime _lastDraw;
    private bool _lineOpen;

    public void Report(DatasetDownloadProgress value)
    {
        var line = $"  {value.File.Path}  {DatasetLocation.Bytes(value.BytesReceived)} / {DatasetLocation.Bytes(value.File.Size)}";
        if (value.Completed)
        {
            writer.Write(live ? $"\r{line}  ok\x1b[K\n" : $"{line}  ok\n");
            _lineOpen = false;
            return;
        }
        if (live && DateTime.UtcNow - _lastDraw > TimeSpan.FromMilliseconds(100))
        {
            _lastDraw = DateTime.UtcNow;
            writer.Write($"\r{line}\x1b[K");
            _lineOpen = true;
        }
    }

    /// <summary>Ends an unfinished live line so an error message starts on its own line.</summary>
    public void Finish()
    {
        if (_lineOpen)
        {
            writer.Write('\n');
            _lineOpen = false;
        }
    }
}
