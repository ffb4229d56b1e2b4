using Microsoft.Extensions.Logging;
using Slingshot.Server.Configuration;
using Slingshot.Server.Hosting;
using Slingshot.Server.Tests.Remote;
using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.Errors;

/// <summary>
/// Failures have kinds, told apart over real HTTP: the engine failing while answering is the server's 500 (logged with
/// the request id), never the client's 400; an endpoint at capacity is a 503 with Retry-After.
/// </summary>
public sealed class ErrorKindsTests(FailingEngineServerFixture server) : IClassFixture<FailingEngineServerFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletions_EngineFailsWhileDecoding_500ServerErrorLoggedWithTheRequestId(bool stream)
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions",
            HttpExtensions.Chat(model: FailingEngineServerFixture.FailingModel, maxTokens: 4, stream: stream));

        var error = Error(reply, 500, "server_error");
        Assert.NotEqual("invalid_request_error", String(error, "type"));
        Assert.DoesNotContain("llama_decode", String(error, "message"), StringComparison.Ordinal);
        var requestId = Assert.Single(reply.Message.Headers.GetValues("x-request-id"));
        var logged = await WaitForAsync(() => server.Logs.Lines.FirstOrDefault(l => l.Level == LogLevel.Error && l.Message.Contains(requestId, StringComparison.Ordinal)));
        Assert.IsType<SlingshotException>(logged.Exception);
        Assert.Equal(FailingEngineServerFixture.Failure, logged.Exception!.Message);
        // Counted as a 500 server_error once the handler has unwound, a moment after the client has the answer.
        var page = await Metrics.ReadAsync(server.Http);
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (!(page.Requests("/v1/chat/completions", 500) >= 1 && page.Value("slingshot_server_errors_total", ("error_type", "server_error")) >= 1))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not counted as a 500 server_error:\n{page.Text}");
            await Task.Delay(20);
            page = await Metrics.ReadAsync(server.Http);
        }
    }

    [Fact]
    public async Task ChatCompletions_PromptLongerThanTheContext_StaysA400NamingTheField()
    {
        // Bad input raised inside the engine is still the client's: the context does not hold 2,000 words.
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions",
            HttpExtensions.Chat(text: string.Join(' ', Enumerable.Repeat("dragon", 2000)), maxTokens: 4));

        var error = Error(reply, 400, "invalid_request_error");
        Assert.Equal("messages", String(error, "param"));
    }

    [Theory]
    [InlineData(429, "7", "7")]
    [InlineData(503, null, "1")]
    public async Task ChatCompletions_EndpointAtCapacity_503WithRetryAfter(int upstreamStatus, string? upstreamRetryAfter, string expectedRetryAfter)
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.Failures = int.MaxValue;
        endpoint.FailureStatus = upstreamStatus;
        endpoint.RetryAfter = upstreamRetryAfter;
        var options = new ServerOptions
        {
            Urls = $"http://127.0.0.1:{ServerFixture.FreePort()}",
            Endpoints = [new RemoteEndpointOptions { Name = "busy", Url = endpoint.Url, Model = "m", MaxRetries = 0 }],
        };
        using var catalog = new ModelCatalog(options);
        await using var app = SlingshotServer.Build(options, catalog);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(options.Urls) };

        var reply = await http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(model: "busy", maxTokens: 4));

        await app.StopAsync();
        var error = Error(reply, 503, "server_error");
        Assert.Equal("upstream_unavailable", String(error, "code"));
        Assert.Equal(expectedRetryAfter, Assert.Single(reply.Message.Headers.GetValues("Retry-After")));
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> find) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (true)
        {
            if (find() is { } found)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, "Not there within 2 s.");
            await Task.Delay(20);
        }
    }
}
