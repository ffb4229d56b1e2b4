using System.Collections.Concurrent;
using Slingshot.Evaluation.Datasets;

namespace Slingshot.Evaluation.Tests.Datasets;

/// <summary>The real download, checksum and cache code against a real HTTP mirror of the reference data on the loopback interface.</summary>
public sealed class DatasetDownloaderTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("slingshot-datasets-").FullName;
    private readonly LoopbackMirror _mirror = new(TestPaths.Datasets);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static DatasetEntry Gsm8k => DatasetManifest.BuiltIn.Get("gsm8k");

    private DatasetDownloader Downloader(Uri? mirror = null) => new(_http, _cache, mirror ?? _mirror.BaseUrl);

    [Fact]
    public async Task Pull_FromMirror_CachesExactBytesAndReportsProgress()
    {
        var progress = new RecordingProgress();

        var result = await Downloader().PullAsync(Gsm8k, progress: progress);

        Assert.Equal(Gsm8k.Files.Count, result.Downloaded.Count);
        foreach (var file in Gsm8k.Files)
        {
            Assert.Equal(File.ReadAllBytes(DatasetCache.LocalPath(TestPaths.Datasets, file)), File.ReadAllBytes(DatasetCache.LocalPath(_cache, file)));
            Assert.Contains(progress.Reports, p => p.File == file && p.Completed && p.BytesReceived == file.Size);
        }
        Assert.Empty(DatasetCache.Missing(_cache, Gsm8k));
        Assert.Empty(LeftoverFiles());
    }

    [Fact]
    public async Task Pull_AlreadyCached_DownloadsNothing()
    {
        await Downloader().PullAsync(Gsm8k);
        var requests = _mirror.Requests.Count;

        var again = await Downloader().PullAsync(Gsm8k, verifyCached: true);

        Assert.Empty(again.Downloaded);
        Assert.Equal(Gsm8k.Files.Count, again.AlreadyCached.Count);
        Assert.Equal(requests, _mirror.Requests.Count);
    }

    [Fact]
    public async Task Pull_CachedFileCorruptedLater_VerifyDownloadsItAgain()
    {
        await Downloader().PullAsync(Gsm8k);
        var test = Gsm8k.Files.Single(f => f.Path == "gsm8k/test.jsonl");
        var local = DatasetCache.LocalPath(_cache, test);
        var bytes = File.ReadAllBytes(local);
        bytes[10] ^= 1;
        File.WriteAllBytes(local, bytes);

        var result = await Downloader().PullAsync(Gsm8k, verifyCached: true);

        Assert.Equal([test], result.Replaced);
        Assert.Equal(File.ReadAllBytes(DatasetCache.LocalPath(TestPaths.Datasets, test)), File.ReadAllBytes(local));
    }

    [Theory]
    [InlineData(MirrorFault.Corrupt, "checksum mismatch")]
    [InlineData(MirrorFault.Truncated, "broke off")]
    [InlineData(MirrorFault.NotFound, "404")]
    public async Task Pull_FaultyFile_OneLineErrorAndNothingHalfWrittenInTheCache(MirrorFault fault, string expected)
    {
        _mirror.Fail("gsm8k/train.jsonl", fault);

        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Downloader().PullAsync(Gsm8k));

        Assert.Contains("gsm8k/train.jsonl", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(File.Exists(Path.Combine(_cache, "gsm8k", "train.jsonl")));
        Assert.Empty(LeftoverFiles());
    }

    [Fact]
    public async Task Pull_MirrorDown_OneLineErrorNamingTheAddress()
    {
        var down = LoopbackMirror.Down();

        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => Downloader(down).PullAsync(Gsm8k));

        Assert.Contains(down.Authority, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(LeftoverFiles());
    }

    [Fact]
    public async Task Pull_NoMirrorAndNoPinnedAddress_FailsBeforeDownloadingAnything()
    {
        var arc = DatasetManifest.BuiltIn.Get("arc");
        Assert.All(arc.Files, f => Assert.Null(f.Url));

        var error = await Assert.ThrowsAsync<DatasetDownloadException>(() => new DatasetDownloader(_http, _cache).PullAsync(arc));

        Assert.Contains("--datasets-mirror", error.Message);
        Assert.Empty(LeftoverFiles());
    }

    [Fact]
    public void SourceOf_MirrorWithPathPrefix_KeepsThePrefixAndTheRelativeLayout()
    {
        var file = Gsm8k.Files[0];

        Assert.Equal("https://m.example/data/sets/gsm8k/test.jsonl", new DatasetDownloader(_http, _cache, new Uri("https://m.example/data/sets")).SourceOf(file).AbsoluteUri);
        Assert.Equal("https://m.example/data/sets/gsm8k/test.jsonl", new DatasetDownloader(_http, _cache, new Uri("https://m.example/data/sets/")).SourceOf(file).AbsoluteUri);
        Assert.Equal(file.Url, new DatasetDownloader(_http, _cache).SourceOf(file));
    }

    [Theory]
    [InlineData("ftp://host/x")]
    [InlineData("not a url")]
    [InlineData("/local/folder")]
    public void ParseMirror_NotAnHttpUrl_ExplainsWhatIsExpected(string text)
    {
        var error = Assert.Throws<SlingshotException>(() => DatasetDownloader.ParseMirror(text));

        Assert.Contains("http(s)", error.Message);
    }

    public void Dispose()
    {
        _mirror.Dispose();
        _http.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    private IEnumerable<string> LeftoverFiles() => Directory.EnumerateFiles(_cache, "*", SearchOption.AllDirectories).Where(f => !IsPinned(f));

    private bool IsPinned(string path) =>
        DatasetManifest.BuiltIn.Datasets.SelectMany(d => d.Files).Any(f => DatasetCache.LocalPath(_cache, f) == path);

    private sealed class RecordingProgress : IProgress<DatasetDownloadProgress>
    {
        public ConcurrentQueue<DatasetDownloadProgress> Reports { get; } = new();

        public void Report(DatasetDownloadProgress value) => Reports.Enqueue(value);
    }
}
