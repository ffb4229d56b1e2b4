using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Slingshot.Server.Tests.Support;

namespace Slingshot.Server.Tests.BadInput;

/// <summary>Clients that misbehave on the wire: slow bodies, disconnects mid-stream, garbage. The server stays up and frees everything.</summary>
public sealed class ConnectionAbuseTests(DefaultServerFixture server) : IClassFixture<DefaultServerFixture>
{
    [Fact]
    public async Task SlowLorisBody_ConnectionCutOrTimedOutWithinTenSeconds()
    {
        var uri = new Uri(server.BaseUrl);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        var headers = $"POST /v1/chat/completions HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(headers));
        var clock = Stopwatch.StartNew();

        var answer = await TrickleUntilServerRespondsAsync(stream, TimeSpan.FromSeconds(12));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(11), $"The server held a slow body for {clock.Elapsed}.");
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal) || answer.StartsWith("HTTP/1.1 400", StringComparison.Ordinal),
            $"Unexpected answer to a slow body: {answer}");
        Assert.Equal(200, (await server.Http.GetReplyAsync("/health")).Code);
    }

    [Fact]
    public async Task ClientDisconnectMidStream_SequencesFreedAndCountedAs499()
    {
        // The tiny model sometimes finishes all its samples within milliseconds (early end-of-text), before the
        // client can leave; such an attempt is read to its end and another one made.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var before = await Metrics.ReadAsync(server.Http);
            // Its own connection, never drained on dispose: leaving must really close the socket.
            using (var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = new Uri(server.BaseUrl) })
            using (var cts = new CancellationTokenSource())
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent(LongGeneration(stream: true)) };
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
                Assert.Equal(200, (int)response.StatusCode);
                var stream = await response.Content.ReadAsStreamAsync(cts.Token);
                var events = 0;
                await foreach (var _ in Sse.ReadAsync(stream, cts.Token))
                {
                    // The first content chunk: leave as early as possible, so the model is still generating.
                    if (++events == 5)
                    {
                        break;
                    }
                }
                var during = await Metrics.ReadAsync(server.Http);
                if (during.Sum("slingshot_engine_active_sequences") == 0)
                {
                    await stream.CopyToAsync(Stream.Null, cts.Token);
                    continue;
                }
                await cts.CancelAsync();
            }

            await Metrics.WaitForIdleAsync(server.Http, TimeSpan.FromSeconds(2));
            await AssertCountedAsClientClosedAsync(before);
            return;
        }
        Assert.Fail("The stream should still be generating when the client leaves (5 attempts all finished first).");
    }

    [Fact]
    public async Task ClientDisconnectBeforeNonStreamingAnswer_SequencesFreedAndCountedAs499()
    {
        var before = await Metrics.ReadAsync(server.Http);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.Http.PostAsync("/v1/chat/completions", JsonContent(LongGeneration(stream: false)), cts.Token));

        await Metrics.WaitForIdleAsync(server.Http, TimeSpan.FromSeconds(2));
        await AssertCountedAsClientClosedAsync(before);
    }

    [Fact]
    public async Task ClientLeavesMidBody_CountedAs499NotA400()
    {
        var before = await Metrics.ReadAsync(server.Http);
        var uri = new Uri(server.BaseUrl);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(uri.Host, uri.Port);
            await client.GetStream().WriteAsync(Encoding.Latin1.GetBytes(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"model\":"));
            // The server is waiting for the other 491 bytes when the connection closes.
            await Task.Delay(200);
        }

        await AssertCountedAsClientClosedAsync(before);
        Assert.Equal(before.Requests("/v1/chat/completions", 400), (await Metrics.ReadAsync(server.Http)).Requests("/v1/chat/completions", 400));
    }

    /// <summary>8 samples of 240 tokens at temperature 2 (end of text is unlikely): about a second of decoding.</summary>
    private static object LongGeneration(bool stream) => new
    {
        model = ServerFixture.Model,
        messages = new[] { new { role = "user", content = "Once upon a time" } },
        // 4 x 450 tokens (the most the 2048-cell context holds beside the prompt): long enough that leaving
        // after the first token finds the samples still running even on this fast model.
        max_tokens = 450,
        n = 4,
        temperature = 2,
        stream,
    };

    private async Task AssertCountedAsClientClosedAsync(Metrics before)
    {
        // The request is counted when its handler has unwound, a moment after its sequences are freed.
        static double ClientClosed(Metrics m) => m.Requests("/v1/chat/completions", 499);
        var expected = ClientClosed(before) + 1;
        var deadline = DateTime.UtcNow.AddSeconds(2);
        var metrics = await Metrics.ReadAsync(server.Http);
        while (ClientClosed(metrics) < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            metrics = await Metrics.ReadAsync(server.Http);
        }
        Assert.True(expected == ClientClosed(metrics), $"Not counted as a 499:\n{metrics.Text}");
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")]
    [InlineData("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("\0\0\0\0\u0016\u0003\u0001")]
    public async Task GarbageOnTheWire_NeverA5xxAndServerStaysUp(string raw)
    {
        var uri = new Uri(server.BaseUrl);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(uri.Host, uri.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
            client.Client.Shutdown(SocketShutdown.Send);
            var answer = await ReadAllAsync(stream, TimeSpan.FromSeconds(5));
            Assert.DoesNotMatch(@"^HTTP/1\.1 5\d\d", answer);
        }

        Assert.Equal(200, (await server.Http.GetReplyAsync("/health")).Code);
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>Sends one body byte a second until the server answers or closes; returns what it sent back.</summary>
    private static async Task<string> TrickleUntilServerRespondsAsync(NetworkStream stream, TimeSpan limit)
    {
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(limit);
        var read = stream.ReadAsync(buffer, deadline.Token).AsTask();
        try
        {
            while (!read.IsCompleted)
            {
                await stream.WriteAsync("{"u8.ToArray(), deadline.Token);
                await Task.WhenAny(read, Task.Delay(1000, deadline.Token));
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The server cut the connection while we were still writing: that is a pass.
        }
        catch (OperationCanceledException)
        {
            return "(still open after the limit)";
        }
        try
        {
            var count = await read;
            return Encoding.ASCII.GetString(buffer, 0, count);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return "";
        }
        catch (OperationCanceledException)
        {
            return "(still open after the limit)";
        }
    }

    private static async Task<string> ReadAllAsync(NetworkStream stream, TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int count;
            while ((count = await stream.ReadAsync(buffer, cts.Token)) > 0)
            {
                text.Append(Encoding.Latin1.GetString(buffer, 0, count));
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            // Reset or no answer at all: neither is a 5xx.
        }
        return text.ToString();
    }
}
