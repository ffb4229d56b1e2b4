using Slingshot.Strategies.Cascades;

namespace Slingshot.Strategies.Tests.Cascades;

public sealed class CascadeConfigFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slingshot-cascade-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static CascadeConfig TwoTiers(string escalation = "agreement", double? threshold = 0.6) => new()
    {
        Escalation = escalation,
        Tiers =
        [
            new CascadeTierConfig { Name = "small", Samples = 5, Threshold = threshold, Price = new TokenPrice(0.1, 0.1) },
            new CascadeTierConfig { Name = "large", Model = "big", Price = new TokenPrice(3, 15) },
        ],
    };

    [Fact]
    public void SaveThenLoad_RoundTripsTiersThresholdsAndPrices()
    {
        var path = Path.Combine(_directory, "cascade.json");
        CascadeConfigFile.Save(path, TwoTiers() with { Calibration = new CascadeCalibrationNote { PromisedAccuracy = 0.9, SplitSeed = 7 } });

        var loaded = CascadeConfigFile.Load(path);

        Assert.Equal("agreement", loaded.Escalation);
        Assert.Equal([5, 1], loaded.Tiers.Select(t => t.Samples));
        Assert.Equal(0.6, loaded.Tiers[0].Threshold);
        Assert.Null(loaded.Tiers[1].Threshold);
        Assert.Equal("big", loaded.Tiers[1].Model);
        Assert.Equal(new TokenPrice(3, 15), loaded.Tiers[1].Price);
        Assert.Equal(7, loaded.Calibration!.SplitSeed);
        Assert.Contains("\"threshold\": 0.6", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HandWrittenFileWithComments_Reads()
    {
        var path = Path.Combine(_directory, "hand.json");
        File.WriteAllText(path, """
            { // calibrated by hand
              "escalation": "logprob",
              "tiers": [ { "name": "small", "threshold": -0.8 }, { "name": "large" }, ],
            }
            """);

        var config = CascadeConfigFile.Load(path);

        Assert.IsType<MeanLogprobEscalation>(config.CreateTest(0));
        Assert.Null(config.CreateTest(1));
    }

    [Theory]
    [InlineData("""{ "escalation": "vibes", "tiers": [ { "threshold": 1 }, {} ] }""", "Unknown escalation test 'vibes'")]
    [InlineData("""{ "tiers": [ { "threshold": 1 } ] }""", "at least two tiers")]
    [InlineData("""{ "tiers": [ {}, {} ] }""", "needs a threshold")]
    [InlineData("""{ "tiers": [ { "threshold": 1, "samples": 0 }, {} ] }""", "at least one sample")]
    [InlineData("""{ "tiers": [ """, "not valid JSON")]
    public void Load_BadFile_ThrowsOneReadableLine(string json, string expected)
    {
        var path = Path.Combine(_directory, "bad.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<ArgumentException>(() => CascadeConfigFile.Load(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("bad.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysHowToWriteOne()
    {
        var error = Assert.Throws<ArgumentException>(() => CascadeConfigFile.Load(Path.Combine(_directory, "none.json")));

        Assert.Contains("slingshot cascade calibrate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateTest_JudgeWithoutAVerifier_Throws_AndWithOneUsesItsThreshold()
    {
        var config = TwoTiers("judge", 0.7);

        Assert.Throws<ArgumentException>(() => config.CreateTest(0));
        var test = Assert.IsType<JudgeScoreEscalation>(config.CreateTest(0, new ScoringJudge()));
        Assert.Equal(0.7, test.Threshold);
    }
}
