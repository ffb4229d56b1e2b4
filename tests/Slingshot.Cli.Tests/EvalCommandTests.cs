using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Slingshot.Cli.Tests;

public sealed class EvalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-cli-eval-").FullName;

    private string Store => Path.Combine(_dir, "runs.db");

    private string[] Eval(params string[] extra) =>
        ["eval", "--task", "gsm8k", "-m", CliRunner.Stories260K, "--threads", "1", "--store", Store, .. extra, .. extra.Contains("--max-tokens") ? [] : new[] { "--max-tokens", "16" }];

    [Fact]
    public void Eval_Gsm8kOnStories_StoresEverySampleAndPrintsTheSummary()
    {
        var result = CliRunner.Run(Eval("--limit", "3", "-k", "4", "--seed", "3", "--json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(3, json.RootElement.GetProperty("problems").GetInt32());
        Assert.Equal(4, json.RootElement.GetProperty("samplesPerProblem").GetInt32());
        Assert.Equal([1, 2, 4], json.RootElement.GetProperty("curve").EnumerateArray().Select(p => p.GetProperty("k").GetInt32()));
        Assert.Equal(12, Count("SELECT COUNT(*) FROM samples WHERE correct IS NOT NULL"));
        Assert.Contains("problems 3/3", result.Stderr);
    }

    [Fact]
    public void Eval_KilledWithSigkill_ResumesWithoutLosingOrRedrawingASample()
    {
        using (var process = CliRunner.Start(Eval("--limit", "8", "-k", "4", "--max-tokens", "48", "--concurrency", "1")))
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (Count("SELECT COUNT(*) FROM samples") < 4 && DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(50);
            }
            Assert.False(process.HasExited, $"the run ended before it could be killed (exit {(process.HasExited ? process.ExitCode : 0)}): {(process.HasExited ? process.StandardError.ReadToEnd() : "")}");
            process.Kill(); // SIGKILL: no chance to clean up
            process.WaitForExit();
        }
        var before = Texts();
        Assert.InRange(before.Count, 4, 31);

        var resumed = CliRunner.Run(Eval("--limit", "8", "-k", "4", "--max-tokens", "48", "--json"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var after = Texts();
        Assert.Equal(32, after.Count);
        Assert.Equal(32, Count("SELECT COUNT(DISTINCT problem_id || '/' || sample_index) FROM samples"));
        Assert.Equal(32, Count("SELECT COUNT(*) FROM samples WHERE correct IS NOT NULL"));
        foreach (var (key, text) in before)
        {
            Assert.Equal(text, after[key]);
        }
    }

    [Fact]
    public void Eval_UnknownTask_OneLineErrorNamingWhatExists()
    {
        var result = CliRunner.Run("eval", "--task", "gsm9k", "--store", Store);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("gsm8k", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Store));
    }

    [Theory]
    [InlineData("--shard", "2/2")]
    [InlineData("-k", "0")]
    [InlineData("--temperature", "-1")]
    [InlineData("--limit", "0")]
    [InlineData("--temperature", "Infinity")]
    [InlineData("--price-in", "NaN")]
    [InlineData("--max-tokens", "100000")]
    public void Eval_BadSettings_OneLineErrorBeforeLoadingAnything(string option, string value)
    {
        var result = CliRunner.Run(Eval(option, value));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("slingshot: ", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Store));
    }

    [Fact]
    public void StoreList_ForeignSqliteFile_OneLineErrorAndTheFileIsUntouched()
    {
        using (var connection = new SqliteConnection($"Data Source={Store};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE runs (id INTEGER PRIMARY KEY)";
            command.ExecuteNonQuery();
        }
        var before = File.ReadAllBytes(Store);

        var result = CliRunner.Run("store", "list", Store);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a Slingshot store", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Equal(before, File.ReadAllBytes(Store));
    }

    [Fact]
    public void EvalSharded_ThenStoreMerge_EqualsTheUnshardedRun()
    {
        var whole = CliRunner.Run(Eval("--limit", "4", "-k", "2", "--concurrency", "1", "--json"));
        Assert.True(whole.ExitCode == 0, whole.ToString());
        var shards = new[] { "0/2", "1/2" }.Select(s => Path.Combine(_dir, $"shard{s[0]}.db")).ToArray();
        for (var i = 0; i < 2; i++)
        {
            var shard = CliRunner.Run(["eval", "--task", "gsm8k", "-m", CliRunner.Stories260K, "--threads", "1", "--max-tokens", "16",
                "--limit", "4", "-k", "2", "--concurrency", "1", "--shard", $"{i}/2", "--store", shards[i]]);
            Assert.True(shard.ExitCode == 0, shard.ToString());
        }
        var mergedPath = Path.Combine(_dir, "merged.db");
        var merge = CliRunner.Run(["store", "merge", mergedPath, .. shards]);
        Assert.True(merge.ExitCode == 0, merge.ToString());

        const string samples = "SELECT problem_id || '|' || sample_index || '|' || seed || '|' || text || '|' || correct FROM samples ORDER BY problem_id, sample_index";
        Assert.Equal(Rows(Store, samples), Rows(mergedPath, samples));
        Assert.Equal(8, Rows(mergedPath, samples).Count);
    }

    [Fact]
    public void Compare_ManySamplesVsOneGreedySample_ReportsTheCatchUp()
    {
        Assert.Equal(0, CliRunner.Run(Eval("--limit", "3", "-k", "4", "--run", "small")).ExitCode);
        Assert.Equal(0, CliRunner.Run(Eval("--limit", "3", "-k", "1", "--temperature", "0", "--run", "large")).ExitCode);

        var result = CliRunner.Run("compare", "small", "large", "--store", Store, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("small", json.RootElement.GetProperty("candidate").GetString());
        Assert.True(json.RootElement.GetProperty("coverage").TryGetProperty("target", out _));
        Assert.Equal("flops", json.RootElement.GetProperty("costUnit").GetString());
    }

    [Fact]
    public void Grade_SamplesFile_PrintsEachVerdictAndTheSummary()
    {
        var file = Path.Combine(_dir, "samples.jsonl");
        // GSM8K test problem 0 (Janet's ducks) has the answer 18.
        File.WriteAllLines(file,
        [
            """{"problem_id": "0", "text": "She sells 16 - 3 - 4 = 9 eggs for $2 each, so 9 * 2 = 18. The answer is 18."}""",
            """{"problem_id": "gsm8k/0", "text": "The answer is 17."}""",
        ]);

        var result = CliRunner.Run("grade", "--task", "gsm8k", "--samples", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("gsm8k/0\tPASS\t18", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("gsm8k/0\tFAIL\t17", StringComparison.Ordinal));
    }

    [Fact]
    public void Grade_HumanEvalStyleFile_RunsTheCodeInTheSandbox()
    {
        var file = Path.Combine(_dir, "humaneval.jsonl");
        var body = "    for i, a in enumerate(numbers):\n        for j, b in enumerate(numbers):\n            if i != j and abs(a - b) < threshold:\n                return True\n    return False\n";
        File.WriteAllLines(file,
        [
            JsonSerializer.Serialize(new Dictionary<string, string> { ["task_id"] = "HumanEval/0", ["completion"] = body }),
            JsonSerializer.Serialize(new Dictionary<string, string> { ["task_id"] = "HumanEval/0", ["completion"] = "    return True\n" }),
        ]);

        var result = CliRunner.Run("grade", "--task", "humaneval", "--samples", file, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var verdicts = result.Stdout.Split('\n').Where(l => l.StartsWith("{\"problem_id\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("correct").GetBoolean()).ToList();
        Assert.Equal([true, false], verdicts);
    }

    [Fact]
    public void Grade_MalformedLine_OneLineErrorWithTheLineNumber()
    {
        var file = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllLines(file, ["""{"problem_id": "0", "text": "18"}""", "{not json"]);

        var result = CliRunner.Run("grade", "--task", "gsm8k", "--samples", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.jsonl:2", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    private long Count(string sql)
    {
        if (!File.Exists(Store))
        {
            return 0;
        }
        try
        {
            using var connection = new SqliteConnection($"Data Source={Store};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // the schema is not created yet
        }
    }

    private Dictionary<string, string> Texts()
    {
        var rows = Rows(Store, "SELECT problem_id || '/' || sample_index, text FROM samples", twoColumns: true);
        return rows.Select(r => r.Split('\u0001')).ToDictionary(r => r[0], r => r[1]);
    }

    private static List<string> Rows(string path, string sql, bool twoColumns = false)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(twoColumns ? reader.GetString(0) + '\u0001' + reader.GetString(1) : reader.GetString(0));
        }
        return rows;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-cli-report-").FullName;

    [Fact]
    public void Report_TwoRuns_WritesEveryFormat()
    {
        var store = Path.Combine(_dir, "runs.db");
        foreach (var (run, k, temperature) in new[] { ("sampled", "4", "1.0"), ("greedy", "1", "0") })
        {
            var eval = CliRunner.Run("eval", "--task", "arc-easy", "-m", CliRunner.Stories260K, "--threads", "1", "--limit", "3", "-k", k,
                "--temperature", temperature, "--max-tokens", "8", "--store", store, "--run", run);
            Assert.True(eval.ExitCode == 0, eval.ToString());
        }

        foreach (var extension in new[] { "html", "md", "json", "csv" })
        {
            var file = Path.Combine(_dir, $"report.{extension}");
            var result = CliRunner.Run("report", store, "--out", file);
            Assert.True(result.ExitCode == 0, result.ToString());
            var text = File.ReadAllText(file);
            Assert.Contains("sampled", text);
            Assert.Contains("greedy", text);
        }
        var html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        Assert.Equal(2, html.Split("<svg").Length - 1);

        var markdown = CliRunner.Run("report", store, "--run", "greedy");
        Assert.True(markdown.ExitCode == 0, markdown.ToString());
        Assert.Contains("greedy", markdown.Stdout);
        Assert.DoesNotContain("sampled", markdown.Stdout);
    }

    [Fact]
    public void Report_MissingStoreOrRunOrBadExtension_OneLineErrors()
    {
        var missing = CliRunner.Run("report", Path.Combine(_dir, "none.db"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Stderr);

        var store = Path.Combine(_dir, "runs.db");
        Assert.Equal(0, CliRunner.Run("eval", "--task", "boolq", "-m", CliRunner.Stories260K, "--threads", "1", "--limit", "1", "--max-tokens", "4", "--store", store).ExitCode);
        var noRun = CliRunner.Run("report", store, "--run", "nope");
        Assert.Equal(1, noRun.ExitCode);
        Assert.Contains("No run 'nope'", noRun.Stderr);

        var badExtension = CliRunner.Run("report", store, "--out", Path.Combine(_dir, "report.pdf"));
        Assert.Equal(1, badExtension.ExitCode);
        Assert.Single(badExtension.Stderr.Trim().Split('\n'));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
