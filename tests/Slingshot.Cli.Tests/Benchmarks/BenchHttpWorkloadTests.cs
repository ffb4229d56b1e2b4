using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Slingshot.Cli.Tests.Benchmarks;

/// <summary>
/// <c>slingshot bench http --workload</c> against a scripted OpenAI-style server that records every request body and
/// answers each chat request with a numbered text: what the load generator resends is checked message by message.
/// </summary>
public sealed class BenchHttpWorkloadTests
{
    /// <summary>Runs the command against a recording server; returns the chat request bodies after the warm-up.</summary>
    private static (CliResult Result, List<JsonElement[]> Requests) RunAgainstRecorder(params string[] arguments) => RunAgainstRecorder(_ => 200, arguments);

    /// <summary>The same, the server refusing chat request number i (0: the warm-up) with <paramref name="statusOf"/>(i) unless it is 200.</summary>
    private static (CliResult Result, List<JsonElement[]> Requests) RunAgainstRecorder(Func<int, int> statusOf, params string[] arguments)
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var bodies = new List<JsonElement[]>();
        var serving = Task.Run(async () =>
        {
            var answered = 0;
            var posts = 0;
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                string reply;
                if (context.Request.HttpMethod == "POST")
                {
                    using var reader = new StreamReader(context.Request.InputStream);
                    using var body = JsonDocument.Parse(await reader.ReadToEndAsync());
                    lock (bodies)
                    {
                        bodies.Add([.. body.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.Clone())]);
                    }
                    var status = statusOf(posts++);
                    context.Response.StatusCode = status;
                    reply = status != 200 ? """{"error":{"message":"refused","type":"server_error"}}""" : JsonSerializer.Serialize(new
                    {
                        choices = new[] { new { index = 0, message = new { role = "assistant", content = $"answer {Interlocked.Increment(ref answered)}" }, finish_reason = "stop" } },
                        usage = new { prompt_tokens = 10, completion_tokens = 2 },
                    });
                }
                else
                {
                    reply = """{"object":"list","data":[]}""";
                }
                var bytes = Encoding.UTF8.GetBytes(reply);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });
        var result = CliRunner.Run(["bench", "http", "--url", $"http://127.0.0.1:{port}", "--model", "m", "--concurrency", "1", "--json", .. arguments]);
        listener.Stop();
        serving.Wait(TimeSpan.FromSeconds(10));
        return (result, bodies.Skip(1).ToList()); // the first is the warm-up
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static string[] Roles(JsonElement[] messages) => [.. messages.Select(m => m.GetProperty("role").GetString()!)];

    private static string Content(JsonElement message) => message.GetProperty("content").GetString()!;

    [Fact]
    public void MultiTurn_EachRequest_ResendsTheConversationSoFarAndStartsAnewAfterItsTurns()
    {
        var (result, requests) = RunAgainstRecorder("--workload", "multiturn", "--turns", "3", "--requests-per-client", "4", "--prompt", "what next?");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(4, requests.Count);
        Assert.Equal(["user"], Roles(requests[0]));
        Assert.Equal(["user", "assistant", "user"], Roles(requests[1]));
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], Roles(requests[2]));
        Assert.Equal(["user"], Roles(requests[3]));
        Assert.Equal(Content(requests[0][0]), Content(requests[2][0]));
        Assert.Equal(Content(requests[1][1]), Content(requests[2][1])); // the server's own answer comes back
        Assert.StartsWith("answer ", Content(requests[1][1]));
        Assert.NotEqual(Content(requests[1][2]), Content(requests[2][4]));
    }

    [Fact]
    public void SharedSystem_EveryRequest_SameLongSystemMessageThenItsOwnQuestion()
    {
        var (result, requests) = RunAgainstRecorder("--workload", "sharedsystem", "--requests-per-client", "3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(["system", "user"], Roles(r)));
        Assert.Single(requests.Select(r => Content(r[0])).Distinct());
        Assert.True(Content(requests[0][0]).Length > 1000);
        Assert.Equal(3, requests.Select(r => Content(r[1])).Distinct().Count());
    }

    [Fact]
    public void RefusedRequests_CountedByStatus_4xxApartFrom5xx()
    {
        int[] statuses = [200, 429, 400, 429, 500, 200, 503];
        var (result, _) = RunAgainstRecorder(i => statuses[i % statuses.Length], "--requests-per-client", "6");

        Assert.Equal(0, result.ExitCode);
        var level = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("levels")[0];
        Assert.Equal(5, level.GetProperty("errors").GetInt32());
        var byKind = level.GetProperty("errorsByKind").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["400"] = 1, ["429"] = 2, ["500"] = 1, ["503"] = 1 }, byKind);
    }
}
