namespace Slingshot.Cli.Tests;

/// <summary>
/// Benchmark data the way a user without the reference folder gets it: pulled into the cache from a mirror (here a
/// real HTTP server on the loopback interface serving the reference copies), on first use or on request.
/// </summary>
public sealed class DatasetsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-cli-datasets-").FullName;
    private readonly LoopbackMirror _mirror = new(TestPaths.Datasets);

    private string Cache => Path.Combine(_dir, "cache");

    /// <summary>No data folder: only the cache (under the test's folder) and, where given, the mirror.</summary>
    private Dictionary<string, string> Environment(Uri? mirror) => new()
    {
        ["SLINGSHOT_DATASETS"] = "",
        ["SLINGSHOT_CACHE_DIR"] = Cache,
        ["SLINGSHOT_DATASETS_MIRROR"] = mirror?.AbsoluteUri ?? "",
    };

    [Fact]
    public void Eval_NoDataFolder_PullsTheTaskOnFirstUseSaysSoAndReusesTheCache()
    {
        string[] eval = ["eval", "--task", "gsm8k-cot", "--limit", "1", "--max-tokens", "4", "--threads", "1", "--store", Path.Combine(_dir, "runs.db"), "--json"];

        var first = CliRunner.Run(eval, environment: Environment(_mirror.BaseUrl));

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("gsm8k is not in the cache yet: downloading 3 files", first.Stderr);
        Assert.Contains(_mirror.BaseUrl.AbsoluteUri, first.Stderr);
        Assert.Contains("gsm8k/test.jsonl", first.Stderr);
        Assert.Equal(new FileInfo(Path.Combine(TestPaths.Datasets, "gsm8k", "test.jsonl")).Length, new FileInfo(Path.Combine(Cache, "datasets", "gsm8k", "test.jsonl")).Length);

        var again = CliRunner.Run(eval, environment: Environment(LoopbackMirror.Down()));

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("downloading", again.Stderr);
    }

    [Fact]
    public void Eval_MirrorDown_OneLineErrorAndNothingInTheCache()
    {
        var result = CliRunner.Run(["eval", "--task", "math500", "--limit", "1", "--store", Path.Combine(_dir, "runs.db")], environment: Environment(LoopbackMirror.Down()));

        Assert.Equal(1, result.ExitCode);
        var error = result.Stderr.Trim().Split('\n').Last();
        Assert.StartsWith("slingshot: math500/test.jsonl: cannot download http://127.0.0.1:", error);
        Assert.Empty(Directory.Exists(Cache) ? Directory.EnumerateFiles(Cache, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public void DatasetsPull_CorruptMirror_RefusesTheFileAndPullAgainFromAGoodOneFillsTheCache()
    {
        _mirror.Fail("humaneval/HumanEval.jsonl.gz", MirrorFault.Corrupt);

        var bad = CliRunner.Run(["datasets", "pull", "humaneval"], environment: Environment(_mirror.BaseUrl));

        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("checksum mismatch", bad.Stderr);
        Assert.False(File.Exists(Path.Combine(Cache, "datasets", "humaneval", "HumanEval.jsonl.gz")));

        using var good = new LoopbackMirror(TestPaths.Datasets);
        var pulled = CliRunner.Run(["datasets", "pull", "humaneval", "mmlu:anatomy", "--mirror", good.BaseUrl.AbsoluteUri], environment: Environment(null));

        Assert.True(pulled.ExitCode == 0, pulled.ToString());
        Assert.Equal(Path.Combine(Cache, "datasets"), pulled.Stdout.Trim());
        Assert.True(File.Exists(Path.Combine(Cache, "datasets", "humaneval", "HumanEval.jsonl.gz")));
        Assert.Equal(57, Directory.GetFiles(Path.Combine(Cache, "datasets", "mmlu", "test"), "*_test.csv").Length);

        var list = CliRunner.Run(["datasets", "list", "--json"], environment: Environment(null));
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("\"name\": \"humaneval\"", list.Stdout);
    }

    [Theory]
    [InlineData("pull")]
    [InlineData("pull", "gsm9k")]
    [InlineData("pull", "gsm8k", "--all")]
    [InlineData("pull", "gsm8k", "--mirror", "ftp://x/")]
    public void DatasetsPull_BadArguments_OneLineError(params string[] args)
    {
        var result = CliRunner.Run(["datasets", .. args], environment: Environment(null));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("slingshot: ", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void DatasetsPull_NothingPinnedAndNoMirror_SaysHowToGetTheData()
    {
        var result = CliRunner.Run(["datasets", "pull", "bbh"], environment: Environment(null));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--datasets-mirror", result.Stderr);
        Assert.Contains("--datasets", result.Stderr);
    }

    [Fact]
    public void Eval_UnpinnedDataSetAndNoMirror_SaysHowToGetTheDataBeforeDownloadingAnything()
    {
        var result = CliRunner.Run(["eval", "--task", "bbh:navigate", "--limit", "1", "--store", Path.Combine(_dir, "runs.db")], environment: Environment(null));

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains("--datasets-mirror", result.Stderr);
        Assert.DoesNotContain("downloading", result.Stderr);
    }

    public void Dispose()
    {
        _mirror.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
