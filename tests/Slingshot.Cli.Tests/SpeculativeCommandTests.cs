using System.Text.Json;

namespace Slingshot.Cli.Tests;

public sealed class SpeculativeCommandTests
{
    [Fact]
    public void Run_WithDraftModel_PrintsTheTargetsGreedyTextAndAcceptance()
    {
        var result = CliRunner.Run("run", "Once upon a time", "--temperature", "0", "--max-tokens", "10", "--threads", "1",
            "-m", CliRunner.Stories260K, "--draft", CliRunner.Stories260K, "--draft-max", "4");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(", there was a little girl named Lily", result.Stdout.Trim());
        Assert.Contains("speculative: ", result.Stderr);
    }

    [Fact]
    public void Run_WithLookupJson_ReportsSpeculationStatistics()
    {
        var result = CliRunner.Run("run", "Once upon a time", "--temperature", "0", "--max-tokens", "24", "--threads", "1", "--json",
            "-m", CliRunner.Stories260K, "--lookup");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var speculation = json.RootElement.GetProperty("speculation");
        Assert.True(speculation.GetProperty("targetPasses").GetInt32() > 0);
    }

    [Fact]
    public void Run_DraftWithAnotherVocabulary_OneLineErrorAndExit1()
    {
        var dir = Directory.CreateTempSubdirectory("slingshot-cli-spec-").FullName;
        var tiny = Path.Combine(dir, "tiny.gguf");
        Assert.Equal(0, CliRunner.Run("create-model", tiny, "--shape", "tiny", "--type", "Q8_0").ExitCode);

        var result = CliRunner.Run("run", "Once", "--threads", "1", "-m", CliRunner.Stories260K, "--draft", tiny);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot draft for", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Run_MissingDraftFile_OneLineErrorAndExit1()
    {
        var result = CliRunner.Run("run", "Once", "-m", CliRunner.Stories260K, "--draft", "/nonexistent/draft.gguf");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--draft", result.Stderr);
    }

    [Fact]
    public void BenchSpeculative_StoriesWithItselfAsDraft_ReportsIdenticalOutputAndFullAcceptance()
    {
        var result = CliRunner.Run("bench", "speculative", "-m", CliRunner.Stories260K, "--draft", CliRunner.Stories260K,
            "-g", "16", "-r", "1", "--draft-lengths", "2,4", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var results = json.RootElement.GetProperty("results");
        Assert.Equal(5, results.GetArrayLength()); // target only, k=2, k=4, adaptive, prompt lookup
        foreach (var measurement in results.EnumerateArray())
        {
            Assert.True(measurement.GetProperty("identicalToTargetOnly").GetBoolean());
        }
        Assert.Equal(1.0, results[1].GetProperty("acceptanceRate").GetDouble());
    }
}
