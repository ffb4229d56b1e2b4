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
    public void Serve_NonLoopbackWithoutKey_RefusesWithOneLine()
    {
        var result = CliRunner.Run("serve", "--host", "0.0.0.0", "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("without an API key", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
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
