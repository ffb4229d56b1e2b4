using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Slingshot.Cli.Tests;

/// <summary>
/// slingshot optimize as a real process against real HTTP endpoints: the choice, the files it writes, serving them
/// with serve -c, resuming from the store, and one-line errors that keep the store intact.
/// </summary>
public sealed class OptimizeCommandTests : IDisposable
{
    private const int ProblemCount = 60;
    private readonly string _directory = Directory.CreateTempSubdirectory("slingshot-optimize-cli-").FullName;
    private readonly ArithmeticEndpoint _endpoint = new();

    public OptimizeCommandTests()
    {
        var lines = Enumerable.Range(0, ProblemCount).Select(i =>
        {
            var (a, b) = Numbers(i);
            return JsonSerializer.Serialize(new { id = $"a{i}", question = $"Tom has {a} pens. Then Tom buys {b} more. How many pens does Tom have now?", final = $"{a + b}" });
        });
        File.WriteAllLines(Path.Combine(_directory, "data.jsonl"), lines);
        File.WriteAllText(TaskFile, """{"name": "arith", "data": "data.jsonl", "prompt": "{question}", "reference": "final", "extractor": "gsm8k-strict", "id": "id", "maxTokens": 32}""");
    }

    public void Dispose()
    {
        _endpoint.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string TaskFile => Path.Combine(_directory, "task.json");
    private string Store => Path.Combine(_directory, "runs.db");
    private string Out => Path.Combine(_directory, "plan");

    private static (int A, int B) Numbers(int i) => (2 + i * 7 % 37, 3 + i * 11 % 19);

    /// <summary>The command over the two endpoints; an option in <paramref name="extra"/> replaces the default one (--candidate adds one).</summary>
    private string[] Optimize(params string[] extra)
    {
        var defaults = new List<(string Name, string Value)>
        {
            ("--task", TaskFile), ("--candidate", $"cheap=endpoint:{_endpoint.BaseUrl}:cheap:0,1"), ("--candidate", $"big=endpoint:{_endpoint.BaseUrl}:big:0,10"),
            ("--target", "0.8"), ("--confidence", "0.9"), ("--temperatures", "0"), ("--out", Out), ("--store", Store),
        };
        var overrides = extra.Chunk(2).Select(p => (Name: p[0], Value: p[1])).ToList();
        defaults.RemoveAll(d => d.Name != "--candidate" && overrides.Any(o => o.Name == d.Name));
        return ["optimize", .. defaults.Concat(overrides).SelectMany(o => new[] { o.Name, o.Value })];
    }

    [Fact]
    public async Task Optimize_CheapTierThatKnowsWhenItFails_ChoosesTheCascade_WritesItAndServesItOverHttp()
    {
        var result = CliRunner.Run(Optimize());

        Assert.True(result.ExitCode == 0, result.ToString());
        using var plan = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "plan.json")));
        var chosen = plan.RootElement.GetProperty("result").GetProperty("choice").GetProperty("chosen");
        // Cheap alone is right on ~60%, big alone costs $0.0001 a problem; cheap then big on unanswered problems is always right for less.
        Assert.Equal("cheap t0 ×1 → big t0 ×1 (agreement ≥ 1)", chosen.GetProperty("name").GetString());
        Assert.Equal(1.0, chosen.GetProperty("accuracy").GetDouble());
        Assert.True(chosen.GetProperty("costPerProblem").GetDouble() < 1e-4);
        Assert.True(plan.RootElement.GetProperty("result").GetProperty("heldOut").GetProperty("held").GetBoolean());
        Assert.Equal("optimized", plan.RootElement.GetProperty("servedModel").GetString());
        Assert.Contains($"serve it: slingshot serve -c {Path.Combine(Out, "serve.yaml")}", result.Stdout);
        Assert.Contains("Pareto front", File.ReadAllText(Path.Combine(Out, "report.html")));
        Assert.True(File.Exists(Path.Combine(Out, "cascade.json")));

        var requests = _endpoint.Requests;
        var again = CliRunner.Run(Optimize());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("(0 drawn now)", again.Stdout);
        Assert.Equal(requests, _endpoint.Requests);

        // A problem cheap cannot answer: the served cascade escalates it to big, which answers it.
        var failing = Enumerable.Range(0, ProblemCount).First(i => !ArithmeticEndpoint.CheapSolves(Numbers(i).A, Numbers(i).B));
        var (a, b) = Numbers(failing);
        var body = await ServeAndAskAsync(Path.Combine(Out, "serve.yaml"), "optimized", $"Tom has {a} pens. Then Tom buys {b} more. How many pens does Tom have now?");
        using var answer = JsonDocument.Parse(body);
        Assert.Contains($"#### {a + b}", answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var attempts = answer.RootElement.GetProperty("slingshot").GetProperty("attempts");
        Assert.Equal(["cheap", "big"], attempts.EnumerateArray().Select(t => t.GetProperty("model").GetString()));
    }

    [Theory]
    [InlineData("--task|no-such-task", "no-such-task")]
    [InlineData("--candidate|gone=/nowhere/missing.gguf", "model file '/nowhere/missing.gguf' does not exist")]
    [InlineData("--target|1.5", "--target must be in (0, 1]")]
    [InlineData("--target|0", "--target must be in (0, 1]")]
    [InlineData("--budget-samples|20", "--budget-samples 20 is too small to decide")]
    [InlineData("--candidate|dead=endpoint:http://127.0.0.1:1/v1:m:0,1", "candidate 'dead' at http://127.0.0.1:1/v1")]
    public void Optimize_BadInput_IsOneLineError_AndKeepsWhatIsStored(string extra, string expected)
    {
        Assert.Equal(0, CliRunner.Run(Optimize()).ExitCode);
        var before = StoredSamples();

        var result = CliRunner.Run(Optimize(extra.Split('|')));

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("slingshot: ", StringComparison.Ordinal));
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.True(StoredSamples() >= before);
        Assert.Equal(before, StoredSamples(onlyRunsOf: ["cheap", "big"]));
    }

    [Fact]
    public void Optimize_Demo_FinishesWithinAMinuteAndWritesItsOutputs()
    {
        var clock = Stopwatch.StartNew();
        var result = CliRunner.Run(["optimize", "--demo", "--out", Out, "--store", Store], timeout: TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"took {clock.Elapsed}");
        Assert.True(File.Exists(Path.Combine(Out, "report.html")));
        Assert.True(File.Exists(Path.Combine(Out, "plan.json")));
        Assert.Matches("chosen: |no configuration reaches", result.Stdout);
    }

    private long StoredSamples(string[]? onlyRunsOf = null)
    {
        using var connection = new SqliteConnection($"Data Source={Store};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = onlyRunsOf is null
            ? "SELECT COUNT(*) FROM samples"
            : $"SELECT COUNT(*) FROM samples s JOIN runs r ON r.run_id = s.run_id WHERE r.model IN ({string.Join(",", onlyRunsOf.Select(m => $"'{m}'"))})";
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<string> ServeAndAskAsync(string config, string model, string question)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var process = CliRunner.Start(["serve", "-c", config, "--port", port.ToString(CultureInfo.InvariantCulture)]);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                Assert.False(process.HasExited, $"serve exited: {stderr}");
                Assert.True(DateTime.UtcNow < deadline, $"serve did not become healthy: {stderr}");
                try
                {
                    if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                await Task.Delay(100);
            }
            var request = JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content = question } }, temperature = 0 });
            var response = await http.PostAsync("/v1/chat/completions", new StringContent(request, Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body + stderr);
            return body;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
