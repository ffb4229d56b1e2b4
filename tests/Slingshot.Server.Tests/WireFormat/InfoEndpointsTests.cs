using System.Text.Json;
using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.WireFormat;

/// <summary>/v1/models, /health and /metrics.</summary>
public sealed class InfoEndpointsTests(DefaultServerFixture server) : IClassFixture<DefaultServerFixture>
{
    [Fact]
    public async Task Models_List_IsOpenAiListOfModelObjects()
    {
        var reply = await server.Http.GetReplyAsync("/v1/models");

        Assert.Equal(200, reply.Code);
        Assert.Equal("list", String(reply.Json, "object"));
        var model = Assert.Single(Array(reply.Json, "data"));
        Assert.Equal(ServerFixture.Model, String(model, "id"));
        Assert.Equal("model", String(model, "object"));
        Assert.True(Property(model, "created", JsonValueKind.Number).GetInt64() > 1_600_000_000);
        String(model, "owned_by");
    }

    [Fact]
    public async Task Models_ById_ReturnsModelAndUnknownIs404()
    {
        var known = await server.Http.GetReplyAsync($"/v1/models/{ServerFixture.Model}");
        var unknown = await server.Http.GetReplyAsync("/v1/models/gpt-nothing");

        Assert.Equal(ServerFixture.Model, String(known.Json, "id"));
        Error(unknown, 404, "invalid_request_error", "model_not_found");
    }

    [Fact]
    public async Task Health_Ready_ReportsOkPerModel()
    {
        var reply = await server.Http.GetReplyAsync("/health");

        Assert.Equal(200, reply.Code);
        Assert.Equal("ok", String(reply.Json, "status"));
        Assert.Equal(ServerFixture.Model, String(Array(reply.Json, "models")[0], "name"));
    }

    [Fact]
    public async Task Metrics_AfterRequests_PrometheusTextCountsThemAndReturnsToIdle()
    {
        var before = await Metrics.ReadAsync(server.Http);
        await Task.WhenAll(
            server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 5)),
            server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 5, stream: true)),
            server.Http.PostJsonAsync("/v1/completions", new { model = ServerFixture.Model, prompt = "Hi", max_tokens = 5 }),
            server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(model: "nope")));

        var response = await server.Http.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("version=0.0.4", response.Content.Headers.ContentType?.ToString());
        var after = await Metrics.WaitForIdleAsync(server.Http);
        Assert.Contains("# TYPE slingshot_server_requests_total counter", after.Text);
        Assert.Contains("# TYPE slingshot_server_request_duration_seconds histogram", after.Text);
        // ASP.NET Core's own request metric, labelled by route template too.
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", after.Text);
        Assert.Equal(2 + before.Requests("/v1/chat/completions", 200), after.Requests("/v1/chat/completions", 200));
        Assert.Equal(1 + before.Requests("/v1/chat/completions", 404), after.Requests("/v1/chat/completions", 404));
        Assert.True(after.Sum("slingshot_server_completion_tokens_total") >= before.Sum("slingshot_server_completion_tokens_total") + 3);
        Assert.True(after.Has("slingshot_server_queue_depth", ("model", ServerFixture.Model)), after.Text);
        Assert.True(after.Has("slingshot_engine_active_sequences", ("model", ServerFixture.Model)), after.Text);
        Assert.True(after.Value("slingshot_server_time_to_first_token_seconds_count", ("model", ServerFixture.Model)) >= 1, after.Text);

        // The decode loop's counters: three requests of 5 tokens need at least 5 more decode calls, each holding one
        // or more tokens; the batches carry every prompt (one token or more each) and 4 decoded tokens per answer (the
        // fifth is sampled, never decoded); the time inside llama_decode is part of the loop's busy time.
        var calls = after.Engine("slingshot_engine_decode_calls_total") - before.Engine("slingshot_engine_decode_calls_total");
        var tokens = after.Engine("slingshot_engine_batch_tokens_total") - before.Engine("slingshot_engine_batch_tokens_total");
        Assert.True(calls >= 5, $"{calls} decode calls");
        Assert.True(tokens >= calls && tokens >= 3 + 3 * 4, $"{tokens} batch tokens in {calls} calls");
        var decodeSeconds = after.Engine("slingshot_engine_decode_time_seconds_total");
        Assert.True(decodeSeconds > 0 && decodeSeconds <= after.Engine("slingshot_engine_busy_time_seconds_total"), after.Text);
    }

    [Fact]
    public async Task Metrics_SameChatTwice_PrefixCacheCountsALookupEachAndReusesThePrompt()
    {
        var chat = HttpExtensions.Chat(text: "Tell me about the little dragon and her grandmother's bread", maxTokens: 3);
        var before = await Metrics.WaitForIdleAsync(server.Http);

        var first = await server.Http.PostJsonAsync("/v1/chat/completions", chat);
        var second = await server.Http.PostJsonAsync("/v1/chat/completions", chat);

        Assert.Equal((200, 200), (first.Code, second.Code));
        var after = await Metrics.WaitForIdleAsync(server.Http);
        double Delta(string series) => after.Engine(series) - before.Engine(series);
        Assert.Equal(2, Delta("slingshot_engine_prefix_cache_lookups_total"));
        Assert.True(Delta("slingshot_engine_prefix_cache_hits_total") >= 1, after.Text);
        Assert.True(Delta("slingshot_engine_prefix_cache_reused_tokens_total") >= 10, after.Text); // the second prompt but its last token
        Assert.True(after.Engine("slingshot_engine_prefix_cache_tokens") > 0, after.Text);
        Assert.Contains("# TYPE slingshot_engine_prefix_cache_evictions_total counter", after.Text);
    }

    [Fact]
    public async Task UnknownEndpoint_OpenAiError404()
    {
        var reply = await server.Http.GetReplyAsync("/v1/engines");

        Error(reply, 404, code: "unknown_url");
    }
}
