using System.Text.Json;

namespace Slingshot.Cli.Tests;

/// <summary>`slingshot judge` over a small stored gsm8k run, with a generated judge model (a 2048-token vocabulary, large enough to hold "yes" and "no").</summary>
public sealed class JudgeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-cli-judge-").FullName;

    private string Store => Path.Combine(_dir, "runs.db");

    private string Judge => Path.Combine(_dir, "judge.gguf");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string DrawRun()
    {
        var eval = CliRunner.Run("eval", "--task", "gsm8k", "-m", CliRunner.Stories260K, "--threads", "1", "--store", Store,
            "--limit", "3", "-k", "4", "--seed", "3", "--max-tokens", "16", "--json");
        Assert.True(eval.ExitCode == 0, eval.ToString());
        using var json = JsonDocument.Parse(eval.Stdout);
        return json.RootElement.GetProperty("runId").GetString()!;
    }

    [Fact]
    public void Judge_StoredRun_ReportsJudgeSelectedAccuracyBesideTheOthers()
    {
        var runId = DrawRun();
        var create = CliRunner.Run("create-model", Judge, "--shape", "vocab=2048,embd=64,layers=2,heads=4,kv=2,ff=128,ctx=1024", "--seed", "4");
        Assert.True(create.ExitCode == 0, create.ToString());

        var result = CliRunner.Run("judge", "--run", runId, "--judge", Judge, "--store", Store, "--threads", "1", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("judge-correct", root.GetProperty("judge").GetString());
        Assert.Equal(3, root.GetProperty("problems").GetInt32());
        Assert.Equal(4, root.GetProperty("samplesPerProblem").GetInt32());
        Assert.InRange(root.GetProperty("judgeSelected").GetDouble(), 0, 1);
        Assert.InRange(root.GetProperty("verifierSelected").GetDouble(), 0, 1);
        var choices = root.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(3, choices.Count);
        Assert.All(choices, c => Assert.InRange(c.GetProperty("score").GetDouble(), 0, 1));
        Assert.Equal(choices.Average(c => c.GetProperty("correct").GetBoolean() ? 1.0 : 0.0), root.GetProperty("judgeSelected").GetDouble(), 9);
    }

    [Fact]
    public void Judge_ModelWithoutYesToken_OneLineErrorAndExitOne()
    {
        var runId = DrawRun();

        var result = CliRunner.Run("judge", "--run", runId, "--judge", CliRunner.Stories260K, "--store", Store, "--threads", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no single token for 'yes'", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
