using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Slingshot.Cli.Tests;

/// <summary>The served model file changing on disk while `slingshot serve` runs.</summary>
public sealed class ServeModelFileTests
{
    [Fact]
    public async Task Serve_ModelFileTruncatedAndRewrittenWhileServed_KeepsAnswering()
    {
        var dir = Directory.CreateTempSubdirectory("slingshot-serve-").FullName;
        var live = Path.Combine(dir, "live.gguf");
        File.Copy(CliRunner.Stories260K, live);
        var port = FreePort();
        using var process = CliRunner.Start(["serve", "--model", "live=" + live, "--port", port.ToString(CultureInfo.InvariantCulture), "--threads", "1", "--sequences", "2"]);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitForHealthAsync(http, process, stderr);
            var before = await CompleteAsync(http, process, stderr);

            // `: > live.gguf`: a memory-mapped model would now fault (SIGBUS) on its next read of the weights.
            await using (new FileStream(live, FileMode.Truncate, FileAccess.Write)) { }
            var afterTruncation = await CompleteAsync(http, process, stderr);
            // `cp other.gguf live.gguf`: rewritten in place with different bytes.
            File.WriteAllBytes(live, Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray());
            var afterRewrite = await CompleteAsync(http, process, stderr);

            Assert.Equal(", there was a little girl named Lily", before);
            Assert.Equal(before, afterTruncation);
            Assert.Equal(before, afterRewrite);
            Assert.False(process.HasExited, $"serve exited: {stderr}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string> CompleteAsync(HttpClient http, Process process, StringBuilder stderr)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync("/v1/completions", new StringContent(
                """{"model":"live","prompt":"Once upon a time","max_tokens":10,"temperature":0}""", Encoding.UTF8, "application/json"));
        }
        catch (HttpRequestException error)
        {
            process.WaitForExit(5000);
            throw new Xunit.Sdk.XunitException($"serve stopped answering ({error.Message}); exit {(process.HasExited ? process.ExitCode : "none")}: {stderr}");
        }
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!;
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
