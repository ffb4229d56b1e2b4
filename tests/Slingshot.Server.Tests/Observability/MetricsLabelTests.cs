using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.Observability;

/// <summary>
/// /metrics labels come from fixed sets (route templates, catalog model names): a client sending thousands of
/// distinct paths or model names must not add a series each, or a scrape grows without bound.
/// </summary>
public sealed class MetricsLabelTests(DefaultServerFixture server) : IClassFixture<DefaultServerFixture>
{
    private const int Requests = 300;

    [Fact]
    public async Task Metrics_ManyDistinctUnknownPaths_NoSeriesPerPath()
    {
        await server.Http.GetReplyAsync("/warm-up-unmatched");
        var before = await ReadSettledAsync(server.Http);

        var replies = await SendManyAsync(i => server.Http.GetReplyAsync($"/y{i:D6}{new string('B', 2000)}"));

        Assert.All(replies, r => Assert.Equal(404, r.Code));
        await AssertNoGrowthAsync(before, "BBBBBBBBBB");
    }

    [Fact]
    public async Task Metrics_ManyDistinctModelIds_LabelledByRouteTemplate()
    {
        await server.Http.GetReplyAsync("/v1/models/warm-up");
        var before = await ReadSettledAsync(server.Http);

        var replies = await SendManyAsync(i => server.Http.GetReplyAsync($"/v1/models/unique-model-{i:D6}"));

        Assert.All(replies, r => Error(r, 404, code: "model_not_found"));
        var after = await AssertNoGrowthAsync(before, "unique-model-");
        Assert.True(after.Requests("/v1/models/{id}", 404) >= Requests, after.Text);
    }

    [Fact]
    public async Task Metrics_RequestedModelName_NeverALabel()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(model: "no-such-model-label-probe"));

        Error(reply, 404, code: "model_not_found");
        Assert.DoesNotContain("no-such-model-label-probe", (await Metrics.ReadAsync(server.Http)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestLog_LongPath_OneBoundedLineWithTheRequestId()
    {
        var reply = await server.Http.GetReplyAsync("/z" + new string('Q', 7000));
        var requestId = Assert.Single(reply.Message.Headers.GetValues("x-request-id"));

        var line = await WaitForLogAsync(server.Logs, requestId);

        Assert.True(line.Message.Length < 300, $"A {line.Message.Length}-character log line: {line.Message[..Math.Min(300, line.Message.Length)]}");
        Assert.Contains("404", line.Message, StringComparison.Ordinal);
    }

    /// <summary>/metrics after a first scrape, so the scrape's own series already exist.</summary>
    internal static async Task<Metrics> ReadSettledAsync(HttpClient http)
    {
        await Metrics.ReadAsync(http);
        await Task.Delay(50);
        return await Metrics.ReadAsync(http);
    }

    internal static async Task<Reply[]> SendManyAsync(Func<int, Task<Reply>> send)
    {
        var replies = new List<Reply>();
        for (var start = 0; start < Requests; start += 25)
        {
            replies.AddRange(await Task.WhenAll(Enumerable.Range(start, 25).Select(send)));
        }
        return [.. replies];
    }

    private async Task<Metrics> AssertNoGrowthAsync(Metrics before, string clientText) =>
        await AssertNoGrowthAsync(server.Http, before, clientText);

    /// <summary>Same series as before (the counts changed, not the set), and nothing the client chose in the page.</summary>
    internal static async Task<Metrics> AssertNoGrowthAsync(HttpClient http, Metrics before, string clientText)
    {
        var after = await Metrics.ReadAsync(http);
        Assert.DoesNotContain(clientText, after.Text, StringComparison.Ordinal);
        var added = after.Samples.Keys.Except(before.Samples.Keys).ToList();
        Assert.True(added.Count == 0, $"{added.Count} new series, for example {string.Join(", ", added.Take(3))}");
        return after;
    }

    private static async Task<LogLine> WaitForLogAsync(LogCapture logs, string requestId)
    {
        // The line is written when the request's handler unwinds, a moment after the client has the answer.
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (true)
        {
            var line = logs.Lines.FirstOrDefault(l => l.Message.Contains(requestId, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }
            Assert.True(DateTime.UtcNow < deadline, $"No log line names request {requestId}.");
            await Task.Delay(20);
        }
    }
}

/// <summary>The same with API keys: a request refused with 401 must not add series either.</summary>
public sealed class UnauthenticatedMetricsLabelTests(ApiKeyServerFixture server) : IClassFixture<ApiKeyServerFixture>
{
    [Fact]
    public async Task Metrics_ManyUnauthenticatedDistinctPaths_NoSeriesPerPath()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        await anonymous.GetReplyAsync("/warm-up-unauthenticated");
        var before = await MetricsLabelTests.ReadSettledAsync(server.Http);

        var replies = await MetricsLabelTests.SendManyAsync(i => anonymous.GetReplyAsync($"/y{i:D6}{new string('B', 2000)}"));

        Assert.All(replies, r => Error(r, 401, "authentication_error"));
        await MetricsLabelTests.AssertNoGrowthAsync(server.Http, before, "BBBBBBBBBB");
    }
}
