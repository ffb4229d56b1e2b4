using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Slingshot.Cli.Tests;

public sealed class ServeCommandTests
{
    [Theory]
    [InlineData("-INT")]
    [InlineData("-TERM")]
    public async Task Serve_DefaultModel_AnswersOverHttp_AndStopsOnSignal(string signal)
    {
        var port = FreePort();
        using var process = CliRunner.Start(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1", "--sequences", "4"]);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitForHealthAsync(http, process, stderr);

            var response = await http.PostAsync("/v1/chat/completions", new StringContent(
                """{"model":"stories260K","messages":[{"role":"user","content":"Once upon a time"}],"temperature":0}""", Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Contains("\"object\":\"chat.completion\"", body);
            Assert.Contains("\"completion_tokens\":", body);

            using var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), $"serve did not stop on {signal}");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Serve_CascadeToAnotherServer_EscalatesOverHttpOnlyWhenTheVoteDisagrees()
    {
        var remotePort = FreePort();
        var frontPort = FreePort();
        var config = Path.Combine(Path.GetTempPath(), $"slingshot-cascade-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, $$"""
            {
              "Slingshot": {
                "Models": [ { "Name": "small", "Path": "{{CliRunner.Stories260K}}", "ChatTemplate": "chatml", "Threads": 1, "Sequences": 4 } ],
                "Endpoints": [ { "Name": "big", "Url": "http://127.0.0.1:{{remotePort}}/v1", "Model": "big" } ],
                "VirtualModels": [
                  { "Name": "always-escalate", "Strategy": "cascade", "Model": "small", "Samples": 4, "Extractor": "final-answer", "Fallback": "big", "Threshold": 1.01 },
                  { "Name": "never-escalate", "Strategy": "cascade", "Model": "small", "Samples": 4, "Extractor": "final-answer", "Fallback": "big", "Threshold": 0 }
                ]
              }
            }
            """);
        using var remote = CliRunner.Start(["serve", "--model", "big=" + CliRunner.Stories260K, "--chat-template", "chatml", "--port", Port(remotePort), "--threads", "1"]);
        using var front = CliRunner.Start(["serve", "--config", config, "--port", Port(frontPort)]);
        var logs = new StringBuilder();
        foreach (var p in new[] { remote, front })
        {
            p.ErrorDataReceived += (_, e) => { lock (logs) { logs.AppendLine(e.Data); } };
            p.BeginErrorReadLine();
        }
        using var remoteHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{remotePort}"), Timeout = TimeSpan.FromSeconds(30) };
        using var frontHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{frontPort}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitForHealthAsync(remoteHttp, remote, logs);
            await WaitForHealthAsync(frontHttp, front, logs);

            var local = await ChatAsync(frontHttp, "never-escalate");
            Assert.DoesNotContain("http_route=\"/v1/chat/completions\"", await remoteHttp.GetStringAsync("/metrics"));

            var escalated = await ChatAsync(frontHttp, "always-escalate");
            var remoteMetrics = await remoteHttp.GetStringAsync("/metrics");
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(remoteMetrics,
                    """^slingshot_server_requests_total\{(?=[^}]*http_route="/v1/chat/completions")(?=[^}]*http_response_status_code="200")[^}]*\} 1$""",
                    System.Text.RegularExpressions.RegexOptions.Multiline),
                $"{remoteMetrics}\nfront: {escalated}");
            // Usage reports every call underneath: the local vote (prompt once, 4 samples) plus the remote call.
            Assert.True(escalated.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > local.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(),
                $"{escalated} vs {local}");
        }
        finally
        {
            foreach (var p in new[] { remote, front })
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
            }
            File.Delete(config);
        }
    }

    private static async Task<System.Text.Json.JsonElement> ChatAsync(HttpClient http, string model)
    {
        var response = await http.PostAsync("/v1/chat/completions", new StringContent(
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":8,"temperature":1,"seed":1}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Serve_NonLoopbackWithoutKey_RefusesWithOneLine()
    {
        var result = CliRunner.Run("serve", "--host", "0.0.0.0", "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("without an API key", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Serve_Ipv6LoopbackHost_ServesAndPrintsTheBracketedUrl()
    {
        var port = FreePort();
        using var process = CliRunner.Start(["serve", "--model", "stories=" + CliRunner.Stories260K, "--host", "::1", "--port", Port(port), "--threads", "1", "--sequences", "2"]);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://[::1]:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitForHealthAsync(http, process, stderr);

            lock (stderr)
            {
                Assert.Contains($"on http://[::1]:{port} ", stderr.ToString());
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Serve_KestrelEndpointsInWorkingDirectoryOrEnvironment_NotBoundAndTheRealAddressPrinted()
    {
        var (port, filePort, environmentPort) = (FreePort(), FreePort(), FreePort());
        var directory = Directory.CreateTempSubdirectory("slingshot-serve-").FullName;
        File.WriteAllText(Path.Combine(directory, "appsettings.json"),
            System.Text.Json.JsonSerializer.Serialize(new { Kestrel = new { Endpoints = new { Http = new { Url = $"http://0.0.0.0:{filePort}" } } } }));
        using var process = CliRunner.Start(["serve", "--model", "stories=" + CliRunner.Stories260K, "--port", Port(port), "--threads", "1", "--sequences", "2"],
            new Dictionary<string, string> { ["Kestrel__Endpoints__Env__Url"] = $"http://0.0.0.0:{environmentPort}" }, directory);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitForHealthAsync(http, process, stderr);

            Assert.False(await AcceptsAsync(filePort), "The port from appsettings.json in the working directory is bound.");
            Assert.False(await AcceptsAsync(environmentPort), "The port from Kestrel__Endpoints__* is bound.");
            lock (stderr)
            {
                Assert.Contains($"on http://127.0.0.1:{port} (OpenAI API at /v1)", stderr.ToString());
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Serve_PortInUse_OneLineError()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var result = CliRunner.Run("serve", "--model", "stories=" + CliRunner.Stories260K, "--port", Port(port), "--threads", "1", "--sequences", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("address already in use", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Fact]
    public void Serve_MissingModelOrConfig_OneLineErrors()
    {
        var missingModel = CliRunner.Run("serve", "--model", "m=/nonexistent/model.gguf", "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, missingModel.ExitCode);
        Assert.Single(missingModel.Stderr.Trim().Split('\n'));

        var missingConfig = CliRunner.Run("serve", "--config", "/nonexistent/appsettings.json");
        Assert.Equal(1, missingConfig.ExitCode);
        Assert.Contains("does not exist", missingConfig.Stderr);

        var badVote = CliRunner.Run("serve", "--vote", "nonsense");
        Assert.Equal(1, badVote.ExitCode);
        Assert.Contains("--vote", badVote.Stderr);
    }

    [Fact]
    public async Task Serve_YamlConfiguration_ServesTheModelsItNames()
    {
        var port = FreePort();
        var config = Path.Combine(Path.GetTempPath(), $"slingshot-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(config, $"""
            Slingshot:
              Urls: http://127.0.0.1:{Port(port)}
              Models:
                - Name: from-yaml
                  Path: {CliRunner.Stories260K}
                  ChatTemplate: chatml
                  Threads: 1
                  Sequences: 2
              Limits:
                MaxN: 2
            """);
        using var process = CliRunner.Start(["serve", "--config", config]);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitForHealthAsync(http, process, stderr);
            Assert.Contains("\"id\":\"from-yaml\"", await http.GetStringAsync("/v1/models"));
            await ChatAsync(http, "from-yaml");
            // The YAML limit is in force: n above MaxN is refused.
            var tooMany = await http.PostAsync("/v1/chat/completions", new StringContent(
                """{"model":"from-yaml","messages":[{"role":"user","content":"Hi"}],"n":3}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            File.Delete(config);
        }
    }

    [Theory]
    [InlineData("bad.yaml", "Slingshot:\n  Models: [ {")]
    [InlineData("bad.json", "{ \"Slingshot\": ")]
    [InlineData("types.yaml", "Slingshot:\n  Limits:\n    MaxN: many\n")]
    [InlineData("settings.toml", "x = 1")]
    public void Serve_InvalidConfigurationFile_OneLineError(string name, string text)
    {
        var config = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}-{name}");
        File.WriteAllText(config, text);
        try
        {
            var result = CliRunner.Run("serve", "--config", config);

            Assert.Equal(1, result.ExitCode);
            Assert.Single(result.Stderr.Trim().Split('\n'));
            Assert.Contains(name, result.Stderr);
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static async Task WaitForHealthAsync(HttpClient http, Process process, StringBuilder stderr)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, $"serve exited: {stderr}");
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        Assert.Fail($"serve did not become healthy: {stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
