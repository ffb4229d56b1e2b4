using System.Security.Cryptography;

namespace Slingshot.Evaluation.Datasets;

/// <summary>How far the download of one file has come.</summary>
/// <param name="File">The file being downloaded.</param>
/// <param name="Source">Where it is downloaded from.</param>
/// <param name="BytesReceived">Bytes received so far.</param>
/// <param name="Completed">True once the file is verified and in place.</param>
public sealed record DatasetDownloadProgress(DatasetFile File, Uri Source, long BytesReceived, bool Completed);

/// <summary>What a pull did.</summary>
/// <param name="Dataset">The data set pulled.</param>
/// <param name="Downloaded">Files downloaded (including replaced ones).</param>
/// <param name="Replaced">Cached files whose bytes no longer matched their checksum, downloaded again.</param>
/// <param name="AlreadyCached">Files that were already in the cache.</param>
public sealed record DatasetPullResult(DatasetEntry Dataset, IReadOnlyList<DatasetFile> Downloaded, IReadOnlyList<DatasetFile> Replaced, IReadOnlyList<DatasetFile> AlreadyCached);

/// <summary>A download failed or delivered other bytes than the pinned ones; nothing was written to the cache.</summary>
public sealed class DatasetDownloadException : SlingshotException
{
    /// <summary>Creates the exception.</summary>
    public DatasetDownloadException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// Downloads data set files into a cache folder, each from a mirror (base URL + the file's relative path) or from its
/// pinned canonical URL, and keeps a file only when its size and SHA-256 match the pins. Bytes are streamed into a
/// hidden temporary file beside the destination and renamed into place after verification, so the cache never holds
/// a partial or corrupt file under a real name, and two processes pulling at once cannot see each other's halves.
/// </summary>
public sealed class DatasetDownloader
{
    private const string PartialSuffix = ".partial";
    private readonly HttpClient _http;

    /// <summary>Creates a downloader into <paramref name="cacheDirectory"/>.</summary>
    /// <param name="http">Client used for every request (its timeout applies per file).</param>
    /// <param name="cacheDirectory">The data set root to fill (see <see cref="DatasetCache.DefaultDirectory"/>).</param>
    /// <param name="mirror">Base URL of a mirror holding the files under their relative paths, or null for the canonical URLs.</param>
    public DatasetDownloader(HttpClient http, string cacheDirectory, Uri? mirror = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        if (mirror is not null && (!mirror.IsAbsoluteUri || (mirror.Scheme != Uri.UriSchemeHttp && mirror.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"The mirror must be an absolute http(s) URL (got '{mirror}').", nameof(mirror));
        }
        _http = http;
        CacheDirectory = Path.GetFullPath(cacheDirectory);
        Mirror = mirror;
    }

    /// <summary>The data set root being filled.</summary>
    public string CacheDirectory { get; }

    /// <summary>The mirror base URL, or null.</summary>
    public Uri? Mirror { get; }

    /// <summary>Parses a mirror base URL given by a user; a bad one is one <see cref="SlingshotException"/>.</summary>
    public static Uri ParseMirror(string text)
    {
        if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new SlingshotException($"The datasets mirror must be an absolute http(s) URL such as http://host/datasets/ (got '{text}').");
        }
        return uri;
    }

    /// <summary>Where <paramref name="file"/> is downloaded from: the mirror's copy, else its canonical URL.</summary>
    /// <exception cref="DatasetDownloadException">No mirror is set and no canonical URL is pinned for the file.</exception>
    public Uri SourceOf(DatasetFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (Mirror is not null)
        {
            var relative = string.Join('/', file.Path.Split('/').Select(Uri.EscapeDataString));
            return new Uri(Mirror.AbsoluteUri.TrimEnd('/') + "/" + relative);
        }
        return file.Url ?? throw new DatasetDownloadException(
            $"{file.Path}: no public download address is pinned for this file; pass a mirror (--datasets-mirror <url>) or a folder that holds it (--datasets <folder>).");
    }

    /// <summary>
    /// Brings every file of <paramref name="dataset"/> into the cache. Files already there with their pinned size are kept,
    /// unless <paramref name="verifyCached"/> re-reads them and finds other bytes, in which case they are downloaded again.
    /// </summary>
    /// <exception cref="DatasetDownloadException">A file could not be downloaded or did not match its pins (the message is one line).</exception>
    public async Task<DatasetPullResult> PullAsync(DatasetEntry dataset, bool verifyCached = false, IProgress<DatasetDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        RemoveAbandonedPartials(dataset);
        var missing = DatasetCache.Missing(CacheDirectory, dataset).ToHashSet();
        var replaced = new List<DatasetFile>();
        var cached = new List<DatasetFile>();
        foreach (var file in dataset.Files.Where(f => !missing.Contains(f)))
        {
            if (verifyCached && !await MatchesAsync(DatasetCache.LocalPath(CacheDirectory, file), file, cancellationToken).ConfigureAwait(false))
            {
                replaced.Add(file);
            }
            else
            {
                cached.Add(file);
            }
        }

        var toDownload = dataset.Files.Where(f => missing.Contains(f) || replaced.Contains(f)).ToList();
        // Fail before the first byte when some file has nowhere to come from, instead of leaving half a data set.
        var sources = toDownload.ToDictionary(f => f, SourceOf);
        foreach (var file in toDownload)
        {
            await DownloadAsync(file, sources[file], progress, cancellationToken).ConfigureAwait(false);
        }
        return new DatasetPullResult(dataset, toDownload, replaced, cached);
    }

    private async Task DownloadAsync(DatasetFile file, Uri source, IProgress<DatasetDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var destination = DatasetCache.LocalPath(CacheDirectory, file);
        var directory = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(directory);
        var partial = Path.Combine(directory, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}{PartialSuffix}");
        try
        {
            var (received, sha) = await FetchAsync(file, source, partial, progress, cancellationToken).ConfigureAwait(false);
            if (received != file.Size)
            {
                throw new DatasetDownloadException($"{file.Path}: {source} delivered {received:N0} bytes instead of the pinned {file.Size:N0}; nothing was kept.");
            }
            if (!sha.Equals(file.Sha256, StringComparison.Ordinal))
            {
                throw new DatasetDownloadException($"{file.Path}: checksum mismatch for the bytes from {source} (sha256 {sha}, pinned {file.Sha256}); nothing was kept.");
            }
            File.Move(partial, destination, overwrite: true);
            progress?.Report(new DatasetDownloadProgress(file, source, received, Completed: true));
        }
        finally
        {
            TryDelete(partial);
        }
    }

    private async Task<(long Received, string Sha256)> FetchAsync(DatasetFile file, Uri source, string partial, IProgress<DatasetDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException error)
        {
            throw new DatasetDownloadException($"{file.Path}: cannot download {source} ({error.Message}).", error);
        }
        catch (TaskCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DatasetDownloadException($"{file.Path}: {source} did not answer in {_http.Timeout.TotalSeconds:0} s.", error);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new DatasetDownloadException($"{file.Path}: {source} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long received = 0;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    received += read;
                    if (received > file.Size)
                    {
                        throw new DatasetDownloadException($"{file.Path}: {source} sends more than the pinned {file.Size:N0} bytes; nothing was kept.");
                    }
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    progress?.Report(new DatasetDownloadProgress(file, source, received, Completed: false));
                }
            }
            catch (Exception error) when (error is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                throw new DatasetDownloadException($"{file.Path}: the download from {source} broke off after {received:N0} of {file.Size:N0} bytes ({error.Message}); nothing was kept.", error);
            }
            catch (TaskCanceledException error) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DatasetDownloadException($"{file.Path}: the download from {source} stalled after {received:N0} of {file.Size:N0} bytes; nothing was kept.", error);
            }
            return (received, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
    }

    private static async Task<bool> MatchesAsync(string path, DatasetFile file, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        if (stream.Length != file.Size)
        {
            return false;
        }
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        return sha.Equals(file.Sha256, StringComparison.Ordinal);
    }

    /// <summary>Removes temporary files a killed download left behind (a process cannot clean up after SIGKILL).</summary>
    private void RemoveAbandonedPartials(DatasetEntry dataset)
    {
        foreach (var directory in dataset.Files.Select(f => Path.GetDirectoryName(DatasetCache.LocalPath(CacheDirectory, f))!).Distinct())
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }
            foreach (var partial in Directory.EnumerateFiles(directory, "." + "*" + PartialSuffix))
            {
                // Only abandoned ones: a pull running right now in another process is still writing its own.
                if (File.GetLastWriteTimeUtc(partial) < DateTime.UtcNow.AddHours(-1))
                {
                    TryDelete(partial);
                }
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden .partial file is never read as data and is swept by a later pull.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
