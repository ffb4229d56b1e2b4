using System.Text.Json;

namespace Slingshot.Cli.Tests;

public sealed class RouteCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-cli-route-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Three real RouteLLM subject files (a few hundred prompts), so a test trains in seconds.</summary>
    private string RealSubset()
    {
        var source = Path.Combine(TestPaths.Datasets, "routing", "routellm", "mmlu", "responses");
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "responses")).FullName;
        foreach (var subject in new[] { "mmlu_high_school_mathematics", "mmlu_marketing", "mmlu_moral_scenarios" })
        {
            File.Copy(Path.Combine(source, subject + ".csv"), Path.Combine(folder, subject + ".csv"));
        }
        return folder;
    }

    [Fact]
    public void TrainThenEval_RealSubset_WritesRouterJsonAndPlot()
    {
        var data = RealSubset();
        var router = Path.Combine(_dir, "router.json");
        var plot = Path.Combine(_dir, "curve.svg");

        var train = CliRunner.Run(["route", "train", "--routellm", data, "-o", router, "--hash-bits", "10", "--epochs", "3", "--target-large-share", "0.4", "--json"]);
        Assert.True(train.ExitCode == 0, train.ToString());
        using (var summary = JsonDocument.Parse(train.Stdout))
        {
            Assert.Equal(0.4, summary.RootElement.GetProperty("targetLargeShare").GetDouble());
            Assert.True(summary.RootElement.GetProperty("heldOutExamples").GetInt32() > 100);
        }
        Assert.Contains("\"format\":\"slingshot-router/1\"", File.ReadAllText(router), StringComparison.Ordinal);

        var eval = CliRunner.Run(["route", "eval", "--routellm", data, "-r", router, "--plot", plot, "--json"]);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        using var json = JsonDocument.Parse(eval.Stdout);
        var evaluation = json.RootElement.GetProperty("evaluation");
        Assert.Equal(0.2, json.RootElement.GetProperty("heldOutFraction").GetDouble());
        Assert.Equal(101, evaluation.GetProperty("router").GetProperty("curve").GetArrayLength());
        Assert.Equal(0.5, evaluation.GetProperty("random").GetProperty("apgr").GetDouble(), 6);
        Assert.InRange(evaluation.GetProperty("router").GetProperty("apgr").GetDouble(), 0, 1.5);
        Assert.StartsWith("<svg", File.ReadAllText(plot), StringComparison.Ordinal);

        var table = CliRunner.Run(["route", "eval", "--routellm", data, "-r", router]);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("always large", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("APGR", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainThenEval_TwoRunsOfARealStore_UsesTheRunsAsTiers()
    {
        var store = Path.Combine(_dir, "runs.db");
        foreach (var (run, temperature) in new[] { ("small", "0"), ("large", "1") })
        {
            var eval = CliRunner.Run(["eval", "--task", "boolq", "-m", CliRunner.Stories260K, "--threads", "1", "--store", store, "--run", run,
                "--limit", "12", "--max-tokens", "4", "--temperature", temperature, "--seed", "5"]);
            Assert.True(eval.ExitCode == 0, eval.ToString());
        }
        var router = Path.Combine(_dir, "store-router.json");

        var train = CliRunner.Run(["route", "train", "--store", store, "--small-run", "small", "--large-run", "large", "-o", router,
            "--held-out", "0.5", "--hash-bits", "8", "--json"]);
        var evaluate = CliRunner.Run(["route", "eval", "--store", store, "--small-run", "small", "--large-run", "large", "-r", router, "--json"]);

        Assert.True(train.ExitCode == 0, train.ToString());
        using var summary = JsonDocument.Parse(train.Stdout);
        Assert.Equal(12, summary.RootElement.GetProperty("trainExamples").GetInt32() + summary.RootElement.GetProperty("heldOutExamples").GetInt32());
        Assert.Contains("run store runs.db: small 'small', large 'large'", summary.RootElement.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        using var json = JsonDocument.Parse(evaluate.Stdout);
        Assert.Equal(summary.RootElement.GetProperty("heldOutExamples").GetInt32(), json.RootElement.GetProperty("evaluation").GetProperty("examples").GetInt32());
    }

    [Theory]
    [InlineData("eval", "-r", "missing-router.json")]
    [InlineData("train", "-o", "r.json", "--store", "runs.db")]
    [InlineData("train", "-o", "r.json", "--held-out", "1.5")]
    public void Route_BadInput_OneLineErrorAndNonZeroExit(params string[] args)
    {
        var result = CliRunner.Run(["route", .. args], workingDirectory: _dir);

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("slingshot: ", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
