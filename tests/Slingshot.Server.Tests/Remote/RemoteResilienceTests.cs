using System.ClientModel;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Slingshot.Remote;

namespace Slingshot.Server.Tests.Remote;

/// <summary>Retries, timeouts and the concurrency limit of a remote model, against a real HTTP server that fails on cue.</summary>
public sealed class RemoteResilienceTests
{
    private static RemoteModelOptions Options(ScriptedEndpoint endpoint) => new()
    {
        Url = endpoint.Url,
        Model = "scripted",
        ApiKeyVariable = "SLINGSHOT_TEST_NO_SUCH_KEY",
        RetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetries = 4,
    };

    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Hi")];

    [Fact]
    public async Task GetResponseAsync_ServiceUnavailableThreeTimes_SucceedsOnFourthAttempt()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.Failures = 3;
        using var client = RemoteModel.Connect(Options(endpoint));

        var response = await client.GetResponseAsync(Prompt);

        Assert.Equal("answer 0", response.Text);
        Assert.Equal(4, endpoint.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_TooManyRequestsWithRetryAfter_WaitsWhatTheServerAsksInsteadOfBackoff()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.Failures = 2;
        endpoint.FailureStatus = 429;
        endpoint.RetryAfter = "1";
        // Without Retry-After the backoff would wait 30 s and more; the server asks for 1 s each time.
        using var client = RemoteModel.Connect(Options(endpoint) with { RetryDelay = TimeSpan.FromSeconds(30) });
        var clock = Stopwatch.StartNew();

        var response = await client.GetResponseAsync(Prompt);

        Assert.Equal("answer 0", response.Text);
        Assert.Equal(3, endpoint.Requests);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.9, 15);
    }

    [Fact]
    public async Task GetResponseAsync_ConnectionDroppedTwice_RetriesTheNetworkError()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.Failures = 2;
        endpoint.FailureStatus = 0;
        using var client = RemoteModel.Connect(Options(endpoint));

        var response = await client.GetResponseAsync(Prompt);

        Assert.Equal("answer 0", response.Text);
        Assert.Equal(3, endpoint.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_StopsAtOnceWithoutRetrying()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.Delay = _ => TimeSpan.FromSeconds(30);
        using var client = RemoteModel.Connect(Options(endpoint));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(Prompt, cancellationToken: cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(1, endpoint.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_AlwaysFailing_RetriesExactlyMaxRetriesThenReportsTheStatus()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.Failures = int.MaxValue;
        using var client = RemoteModel.Connect(Options(endpoint) with { MaxRetries = 2 });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(Prompt));

        Assert.Equal(503, error.Status);
        // One attempt and two retries: the OpenAI client's own retry policy adds none.
        Assert.Equal(3, endpoint.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_BadRequest_IsNotRetried()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.Failures = int.MaxValue;
        endpoint.FailureStatus = 400;
        using var client = RemoteModel.Connect(Options(endpoint));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(Prompt));

        Assert.Equal(400, error.Status);
        Assert.Equal(1, endpoint.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_SlowFirstAttempt_TimesOutAndRetries()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.Delay = i => i == 0 ? TimeSpan.FromSeconds(30) : TimeSpan.Zero;
        using var client = RemoteModel.Connect(Options(endpoint) with { Timeout = TimeSpan.FromMilliseconds(500) });
        var clock = Stopwatch.StartNew();

        var response = await client.GetResponseAsync(Prompt);

        Assert.Equal("answer 0", response.Text);
        Assert.Equal(2, endpoint.Requests);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task GetResponseAsync_EveryAttemptTooSlow_ThrowsTimeoutNamingTheEndpoint()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.Delay = _ => TimeSpan.FromSeconds(30);
        using var client = RemoteModel.Connect(Options(endpoint) with { Timeout = TimeSpan.FromMilliseconds(300), MaxRetries = 1 });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.GetResponseAsync(Prompt));

        var timeout = error as TimeoutException ?? error.InnerException as TimeoutException;
        Assert.True(timeout is not null, $"expected a timeout, got {error}");
        Assert.Contains(endpoint.Url, timeout.Message, StringComparison.Ordinal);
        Assert.Equal(2, endpoint.Requests);
    }

    [Fact]
    public async Task SampleAsync_ParallelRequests_NeverMoreInFlightThanTheLimit()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.Delay = _ => TimeSpan.FromMilliseconds(200);
        using var client = RemoteModel.Connect(Options(endpoint) with { MaxConcurrency = 2, UseNativeN = false });

        var result = await client.SampleAsync(SampleRequest.Chat(Prompt, 8));

        Assert.Equal(8, result.Samples.Count);
        Assert.Equal(8, endpoint.Requests);
        Assert.Equal(2, endpoint.PeakInFlight);
        Assert.Equal(2, client.PeakConcurrency);
    }

    [Fact]
    public async Task SampleAsync_RetriesWhileOthersWait_StillWithinTheLimit()
    {
        await using var endpoint = await ScriptedEndpoint.StartAsync();
        endpoint.Failures = 3;
        endpoint.Delay = _ => TimeSpan.FromMilliseconds(50);
        using var client = RemoteModel.Connect(Options(endpoint) with { MaxConcurrency = 3, UseNativeN = false });

        var result = await client.SampleAsync(SampleRequest.Chat(Prompt, 6));

        Assert.Equal(6, result.Samples.Count);
        Assert.Equal(9, endpoint.Requests);
        Assert.InRange(endpoint.PeakInFlight, 1, 3);
    }

    [Fact]
    public void Connect_BadSettings_OneLineArgumentException()
    {
        var good = new RemoteModelOptions { Url = "http://localhost:8000/v1", Model = "m" };

        Assert.Contains("http(s) URL", Assert.Throws<ArgumentException>(() => RemoteModel.Connect(good with { Url = "ftp://x" })).Message, StringComparison.Ordinal);
        Assert.Contains("model name", Assert.Throws<ArgumentException>(() => RemoteModel.Connect(good with { Model = " " })).Message, StringComparison.Ordinal);
        Assert.Contains("concurrency", Assert.Throws<ArgumentException>(() => RemoteModel.Connect(good with { MaxConcurrency = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("timeout", Assert.Throws<ArgumentException>(() => RemoteModel.Connect(good with { Timeout = TimeSpan.Zero })).Message, StringComparison.Ordinal);
        Assert.Contains("retries", Assert.Throws<ArgumentException>(() => RemoteModel.Connect(good with { MaxRetries = -1 })).Message, StringComparison.Ordinal);
        Assert.Contains("Prices", Assert.Throws<ArgumentException>(() => RemoteModel.Connect(good with { Price = new TokenPrice(-1, 0) })).Message, StringComparison.Ordinal);
    }
}
