using System.Text.Json;

namespace Slingshot.Cli.Tests;

public sealed class CascadeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-cli-cascade-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Store => Path.Combine(_dir, "runs.db");

    private string Config => Path.Combine(_dir, "cascade.json");

    private static string OpenersTask => Path.Combine(CliRunner.RepoRoot, "bench", "cascade", "openers.json");

    private void DrawBothTiers()
    {
        string[] common = ["eval", "--task", OpenersTask, "-m", CliRunner.Stories260K, "--threads", "1", "--limit", "40", "--store", Store];
        var small = CliRunner.Run([.. common, "--run", "small", "-k", "3", "--temp", "0.5", "--price-in", "0.1", "--price-out", "0.1"]);
        Assert.True(small.ExitCode == 0, small.ToString());
        var large = CliRunner.Run([.. common, "--run", "large", "-k", "1", "--temp", "0", "--price-in", "3", "--price-out", "15"]);
        Assert.True(large.ExitCode == 0, large.ToString());
    }

    [Fact]
    public void CalibrateThenEval_StoredTiers_WritesAConfigWhosePromiseEvalReproduces()
    {
        DrawBothTiers();

        var calibrate = CliRunner.Run("cascade", "calibrate", "--store", Store, "--tier", "small:3", "--tier", "large",
            "--target-accuracy", "0.8", "--config", Config, "--json");

        Assert.True(calibrate.ExitCode == 0, calibrate.ToString());
        using var calibration = JsonDocument.Parse(calibrate.Stdout);
        var report = calibration.RootElement.GetProperty("report");
        Assert.Equal(40, report.GetProperty("development").GetProperty("problems").GetInt32() + report.GetProperty("test").GetProperty("problems").GetInt32());
        using var config = JsonDocument.Parse(File.ReadAllText(Config));
        Assert.Equal("small", config.RootElement.GetProperty("tiers")[0].GetProperty("name").GetString());
        Assert.Equal(report.GetProperty("thresholds")[0].GetDouble(), config.RootElement.GetProperty("tiers")[0].GetProperty("threshold").GetDouble());

        var eval = CliRunner.Run("cascade", "eval", "--config", Config, "--json");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        using var replay = JsonDocument.Parse(eval.Stdout);
        Assert.Equal(report.GetProperty("test").GetProperty("accuracy").GetDouble(),
            replay.RootElement.GetProperty("report").GetProperty("test").GetProperty("accuracy").GetDouble());
        Assert.Equal(report.GetProperty("test").GetProperty("costPerProblem").GetDouble(),
            replay.RootElement.GetProperty("report").GetProperty("test").GetProperty("costPerProblem").GetDouble(), 12);

        var table = CliRunner.Run("cascade", "eval", "--config", Config);
        Assert.Contains("realized (test)", table.Stdout);
    }

    [Theory]
    [InlineData("--tier", "small", "--target-accuracy", "0.9")]
    [InlineData("--tier", "small", "--tier", "large", "--target-accuracy", "0.9", "--budget", "0.1")]
    [InlineData("--tier", "small", "--tier", "large", "--budget", "0.1", "--escalation", "judge")]
    [InlineData("--tier", "small", "--tier", "large", "--budget", "0.1", "--price", "large=abc")]
    public void Calibrate_BadInput_FailsWithOneLine(params string[] args)
    {
        var result = CliRunner.Run(["cascade", "calibrate", "--store", Store, "--config", Config, .. args]);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Config));
        Assert.False(File.Exists(Store), "bad arguments are refused before the store is opened");
    }

    [Fact]
    public void Eval_MissingConfig_SaysHowToWriteOne()
    {
        var result = CliRunner.Run("cascade", "eval", "--config", Config);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("slingshot cascade calibrate", result.Stderr);
    }
}
