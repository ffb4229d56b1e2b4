using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.BadInput;

/// <summary>Every configured limit, broken on purpose: 400/413/429 in OpenAI's format, never a 5xx.</summary>
public sealed class LimitsTests(TinyLimitsServerFixture server) : IClassFixture<TinyLimitsServerFixture>
{
    private const string Model = ServerFixture.Model;

    [Fact]
    public async Task ChatCompletions_TooManyMessages_400Messages()
    {
        var messages = Enumerable.Range(0, server.Options.Limits.MaxMessages + 1).Select(i => new { role = i % 2 == 0 ? "user" : "assistant", content = "x" });

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new { model = Model, messages, max_tokens = 2 });

        Error(reply, 400, "invalid_request_error", param: "messages");
    }

    [Fact]
    public async Task ChatCompletions_AtMessageLimit_200()
    {
        var messages = Enumerable.Range(0, server.Options.Limits.MaxMessages).Select(i => new { role = i % 2 == 0 ? "user" : "assistant", content = "x" });

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new { model = Model, messages, max_tokens = 2 });

        Assert.Equal(200, reply.Code);
    }

    [Fact]
    public async Task Completions_TooManyPrompts_400Prompt()
    {
        var prompts = Enumerable.Repeat("x", server.Options.Limits.MaxMessages + 1);

        var reply = await server.Http.PostJsonAsync("/v1/completions", new { model = Model, prompt = prompts, max_tokens = 2 });

        Error(reply, 400, "invalid_request_error", param: "prompt");
    }

    [Fact]
    public async Task ChatCompletions_NAboveLimit_400N()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(n: server.Options.Limits.MaxN + 1, maxTokens: 2));

        Error(reply, 400, "invalid_request_error", param: "n");
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public async Task ChatCompletions_MaxTokensAboveLimit_400NamingTheField(string field)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = Model,
            ["messages"] = new[] { new { role = "user", content = "Hi" } },
            [field] = server.Options.Limits.MaxTokens + 1,
        };

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Error(reply, 400, "invalid_request_error", param: field);
    }

    [Fact]
    public async Task ChatCompletions_NoMaxTokens_DefaultCapApplies()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new
        {
            model = Model, messages = new[] { new { role = "user", content = "Once upon a time" } }, temperature = 2,
        });

        Assert.Equal(200, reply.Code);
        Assert.InRange(Usage(reply.Json.GetProperty("usage")).Completion, 1, server.Options.Limits.DefaultMaxTokens);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ChatCompletions_BodyOverLimit_413(bool chunked)
    {
        var json = $$"""{"model": "{{Model}}", "messages": [{"role": "user", "content": "{{new string('a', (int)server.Options.Limits.MaxBodyBytes)}}"}]}""";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;

        var response = await server.Http.SendAsync(request);

        Error(new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response), 413, code: "request_too_large");
    }

    [Fact]
    public async Task ChatCompletions_PromptLongerThanContext_400ContextLengthExceeded()
    {
        var story = string.Concat(Enumerable.Repeat("The little girl went to the park and saw a big dog. ", 60));

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new
        {
            model = Model, messages = new[] { new { role = "user", content = story } }, max_tokens = 4,
        });

        Error(reply, 400, "invalid_request_error", "context_length_exceeded", "messages");
    }

    [Fact]
    public async Task ChatCompletions_PromptPlusSamplesOverflowContext_400ContextLengthExceeded()
    {
        var story = string.Concat(Enumerable.Repeat("The cat sat. ", 31));
        var messages = new[] { new { role = "user", content = story } };

        var alone = await server.Http.PostJsonAsync("/v1/chat/completions", new { model = Model, messages, max_tokens = 1 });
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new { model = Model, messages, max_tokens = 32, n = 2 });

        Assert.True(alone.Code == 200, $"The prompt alone should fit: {alone.Body}");
        Error(reply, 400, code: "context_length_exceeded");
    }

    [Fact]
    public async Task ChatCompletions_NoMaxTokensInASmallContext_AnswersWithinWhatFits()
    {
        // The default max_tokens (512) exceeds this 256-token context; without a cap the request would be refused.
        var messages = new[] { new { role = "user", content = "Once upon a time" } };

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new { model = Model, messages, n = 2 });

        Assert.True(reply.Code == 200, reply.Body);
        using var json = System.Text.Json.JsonDocument.Parse(reply.Body);
        var usage = json.RootElement.GetProperty("usage");
        Assert.InRange(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), 2, 256);
    }

    [Fact]
    public async Task Completions_PromptLongerThanContext_400ContextLengthExceeded()
    {
        var story = string.Concat(Enumerable.Repeat("The little girl went to the park and saw a big dog. ", 60));

        var reply = await server.Http.PostJsonAsync("/v1/completions", new { model = Model, prompt = story, max_tokens = 4 });

        Error(reply, 400, code: "context_length_exceeded");
    }

    [Fact]
    public async Task ChatCompletions_QueueFull_429RateLimitWithRetryAfter()
    {
        var rejected = new List<Reply>();
        for (var burst = 0; burst < 10 && rejected.Count == 0; burst++)
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
                server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 32, n: 2, stream: i % 2 == 0))));
            Assert.All(replies, r => Assert.True(r.Code is 200 or 429, $"{r.Code}: {r.Body}"));
            rejected.AddRange(replies.Where(r => r.Code == 429));
        }

        Assert.NotEmpty(rejected);
        foreach (var reply in rejected)
        {
            Error(reply, 429, "rate_limit_error", "queue_full");
            Assert.Equal(TimeSpan.FromSeconds(1), reply.Message.Headers.RetryAfter?.Delta);
        }
        await Metrics.WaitForIdleAsync(server.Http);
    }
}
