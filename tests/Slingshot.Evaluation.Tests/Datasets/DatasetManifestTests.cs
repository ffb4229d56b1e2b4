using System.Security.Cryptography;
using System.Text;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Datasets;

namespace Slingshot.Evaluation.Tests.Datasets;

public sealed class DatasetManifestTests
{
    [Fact]
    public void BuiltIn_EveryPinnedFile_MatchesTheReferenceCopyByteForByte()
    {
        var files = DatasetManifest.BuiltIn.Datasets.SelectMany(d => d.Files).ToList();

        Assert.True(files.Count > 100, $"only {files.Count} files pinned");
        foreach (var file in files)
        {
            var path = DatasetCache.LocalPath(TestPaths.Datasets, file);
            Assert.True(File.Exists(path), $"{file.Path} is pinned but not in {TestPaths.Datasets}");
            Assert.Equal(file.Size, new FileInfo(path).Length);
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        }
    }

    [Fact]
    public void BuiltIn_EveryBuiltInBenchmark_ReadsOnlyPinnedFiles()
    {
        // Each benchmark loads its problems from a folder that holds exactly its data set's pinned files: nothing it
        // reads can be missing from a pull.
        foreach (var descriptor in new BenchmarkRegistry(new BenchmarkEnvironment(TestPaths.Datasets)).List())
        {
            var name = descriptor.Name.Split(':')[0];
            var dataset = DatasetManifest.BuiltIn.ForTask(name);
            Assert.True(dataset is not null, $"benchmark '{name}' has no data set in the manifest");
            var root = Directory.CreateTempSubdirectory("slingshot-manifest-").FullName;
            try
            {
                foreach (var file in dataset.Files)
                {
                    var target = DatasetCache.LocalPath(root, file);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(DatasetCache.LocalPath(TestPaths.Datasets, file), target);
                }
                var task = new BenchmarkRegistry(new BenchmarkEnvironment(root)).Resolve(name);
                Assert.NotEmpty(task.LoadProblems());
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("gsm8k", "gsm8k")]
    [InlineData("gsm8k-cot", "gsm8k")]
    [InlineData("arc-challenge", "arc")]
    [InlineData("mmlu:anatomy", "mmlu")]
    [InlineData("BBH:navigate", "bbh")]
    [InlineData("mbpp-sanitized", "mbpp")]
    [InlineData("routellm", "routellm")]
    public void Get_DataSetOrBenchmarkName_FindsTheDataSet(string name, string expected)
    {
        Assert.Equal(expected, DatasetManifest.BuiltIn.Get(name).Name);
    }

    [Fact]
    public void Get_UnknownName_ListsTheDataSetsAndSuggests()
    {
        var error = Assert.Throws<UnknownBenchmarkException>(() => DatasetManifest.BuiltIn.Get("gsm9k"));

        Assert.Contains("'gsm8k'", error.Message);
        Assert.Contains("routellm", error.Message);
    }

    [Theory]
    [InlineData("my-task.json")]
    [InlineData("gsm9k")]
    public void ForTask_NotABuiltInBenchmark_IsNull(string name)
    {
        Assert.Null(DatasetManifest.BuiltIn.ForTask(name));
    }

    [Theory]
    [InlineData("""{"version":1,"datasets":[{"name":"x","files":[{"path":"../x","size":1,"sha256":"0000000000000000000000000000000000000000000000000000000000000000"}]}]}""", "plain relative path")]
    [InlineData("""{"version":1,"datasets":[{"name":"x","files":[{"path":"x/a","size":1,"sha256":"ABC"}]}]}""", "sha256")]
    [InlineData("""{"version":1,"datasets":[{"name":"x","files":[{"path":"x/a","size":1,"sha256":"0000000000000000000000000000000000000000000000000000000000000000","url":"ftp://h/a"}]}]}""", "http(s)")]
    [InlineData("""{"version":1,"datasets":[{"name":"x","files":[]}]}""", "no files")]
    [InlineData("""{"version":1,"datasets":[{"name":"x","files":[{"path":"x/a","size":1,"sha256":"0000000000000000000000000000000000000000000000000000000000000000","extra":1}]}]}""", "not valid JSON")]
    public void Parse_DefectiveManifest_OneClearError(string json, string expected)
    {
        var error = Assert.Throws<SlingshotException>(() => DatasetManifest.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json))));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void DefaultDirectory_FollowsOverrideThenXdgThenHome()
    {
        static Func<string, string?> Env(params (string Key, string Value)[] values) =>
            key => values.FirstOrDefault(v => v.Key == key).Value;

        Assert.Equal("/c/datasets", DatasetCache.DefaultDirectory(Env(("SLINGSHOT_CACHE_DIR", "/c"), ("XDG_CACHE_HOME", "/x"), ("HOME", "/h"))));
        Assert.Equal("/x/slingshot/datasets", DatasetCache.DefaultDirectory(Env(("XDG_CACHE_HOME", "/x"), ("HOME", "/h"))));
        Assert.Equal("/h/.cache/slingshot/datasets", DatasetCache.DefaultDirectory(Env(("XDG_CACHE_HOME", "relative"), ("HOME", "/h"))));
        Assert.Equal("/h/.cache/slingshot/datasets", DatasetCache.DefaultDirectory(Env(("HOME", "/h"))));
    }
}
