using Slingshot.Strategies.Routing;

namespace Slingshot.Strategies.Tests.Routing;

public sealed class RouterFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("router-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SaveLoad_RoundTrip_SameScores()
    {
        var features = new PromptFeatureOptions { HashBits = 4 };
        var weights = Enumerable.Range(0, features.Dimensions).Select(i => (i % 5 - 2) / 3f).ToArray();
        var file = new RouterFile { Features = features, Weights = weights, Bias = -0.25, Threshold = 0.4, TargetLargeShare = 0.3, HeldOutFraction = 0.2 };
        var path = Path.Combine(_dir, "r.json");

        file.Save(path);
        var loaded = RouterFile.Load(path);

        Assert.Equal(features, loaded.Features);
        Assert.Equal(weights, loaded.Weights);
        Assert.Equal(0.2, loaded.HeldOutFraction);
        var prompt = "Is 17 prime?\nA. yes\nB. no";
        Assert.Equal(new PromptRouter(file).Score(prompt), new PromptRouter(loaded).Score(prompt));
        Assert.Contains("\"hash_bits\":4", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "is not a router file")]
    [InlineData("""{"format":"other/1","features":{},"weights":[]}""", "expected format")]
    [InlineData("""{"format":"slingshot-router/1","features":{"hash_bits":2,"shape":false},"weights":[1,2]}""", "2 weights for 4 features")]
    public void Load_BadFile_InvalidDataExceptionSayingWhy(string text, string expected)
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, text);

        var ex = Assert.Throws<InvalidDataException>(() => RouterFile.Load(path));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysNotFound() =>
        Assert.Contains("not found", Assert.Throws<InvalidDataException>(() => RouterFile.Load(Path.Combine(_dir, "none.json"))).Message, StringComparison.Ordinal);
}
