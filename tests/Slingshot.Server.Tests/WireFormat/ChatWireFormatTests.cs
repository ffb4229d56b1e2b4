using System.Text;
using System.Text.Json;
using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.WireFormat;

/// <summary>/v1/chat/completions answers in OpenAI's wire format, whole and streamed.</summary>
public sealed class ChatWireFormatTests(DefaultServerFixture server) : IClassFixture<DefaultServerFixture>
{
    private const string Model = ServerFixture.Model;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletion_NonStreaming_MatchesOpenAiSchema(bool logprobs)
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new
        {
            model = Model,
            messages = new object[] { new { role = "system", content = "You tell stories." }, new { role = "user", content = "Once upon a time" } },
            max_tokens = 12,
            logprobs,
            top_logprobs = logprobs ? 3 : (int?)null,
        });

        Assert.Equal(200, reply.Code);
        Assert.StartsWith("application/json", reply.Message.Content.Headers.ContentType?.ToString());
        ChatCompletion(reply.Json, Model, choices: 1, logprobs);
        var choice = reply.Json.GetProperty("choices")[0];
        var usage = Usage(reply.Json.GetProperty("usage"));
        Assert.InRange(usage.Completion, 1, 12);
        if (logprobs)
        {
            var steps = choice.GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
            Assert.Equal(usage.Completion, steps.Count);
            Assert.All(steps, s => Assert.Equal(3, s.GetProperty("top_logprobs").GetArrayLength()));
            Assert.Equal(choice.GetProperty("message").GetProperty("content").GetString()!.TrimEnd(),
                string.Concat(steps.Select(s => s.GetProperty("token").GetString())).TrimEnd());
        }
        if (usage.Completion == 12)
        {
            Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        }
    }

    [Fact]
    public async Task ChatCompletion_Streaming_IsOpenAiSseWithRoleFirstAndDoneLast()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new
        {
            model = Model, messages = new[] { new { role = "user", content = "Once upon a time" } }, max_tokens = 10, stream = true,
        });

        Assert.Equal(200, reply.Code);
        Assert.Equal("text/event-stream", reply.Message.Content.Headers.ContentType?.MediaType);
        var chunks = Sse.ParseStrict(reply.Body);
        Assert.True(chunks.Count >= 3, reply.Body);
        var id = chunks[0].GetProperty("id").GetString();
        var created = chunks[0].GetProperty("created").GetInt64();
        Assert.All(chunks, c =>
        {
            ChatChunk(c, Model, includeUsage: false);
            Assert.Equal(id, c.GetProperty("id").GetString());
            Assert.Equal(created, c.GetProperty("created").GetInt64());
            Assert.Equal(1, c.GetProperty("choices").GetArrayLength());
        });
        var first = chunks[0].GetProperty("choices")[0];
        Assert.Equal("assistant", first.GetProperty("delta").GetProperty("role").GetString());
        Assert.All(chunks.Skip(1), c => Assert.False(c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("role", out _)));
        var finishes = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("finish_reason")).Where(f => f.ValueKind != JsonValueKind.Null).ToList();
        Assert.Single(finishes);
        Assert.Equal(JsonValueKind.String, chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
    }

    [Fact]
    public async Task ChatCompletion_StreamedAtTemperatureZero_SameTextAsNonStreamed()
    {
        var request = new Dictionary<string, object>
        {
            ["model"] = Model,
            ["messages"] = new[] { new { role = "user", content = "The little dog" } },
            ["max_tokens"] = 16,
            ["temperature"] = 0,
        };
        var whole = await server.Http.PostJsonAsync("/v1/chat/completions", request);
        request["stream"] = true;
        var streamed = await server.Http.PostJsonAsync("/v1/chat/completions", request);

        var text = new StringBuilder();
        foreach (var chunk in Sse.ParseStrict(streamed.Body))
        {
            if (chunk.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content))
            {
                text.Append(content.GetString());
            }
        }
        Assert.Equal(whole.Json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), text.ToString().Trim());
    }

    [Fact]
    public async Task ChatCompletion_SameSeed_SameAnswer()
    {
        var request = new { model = Model, messages = new[] { new { role = "user", content = "Once" } }, max_tokens = 16, temperature = 1.2, seed = 4242 };

        var first = await server.Http.PostJsonAsync("/v1/chat/completions", request);
        var second = await server.Http.PostJsonAsync("/v1/chat/completions", request);

        Assert.Equal(Content(first), Content(second));
        Assert.NotEqual(first.Json.GetProperty("id").GetString(), second.Json.GetProperty("id").GetString());
    }

    [Fact]
    public async Task ChatCompletion_StreamIncludeUsage_FinalChunkHasEmptyChoicesAndUsage()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new
        {
            model = Model,
            messages = new[] { new { role = "user", content = "Once upon a time" } },
            max_tokens = 6,
            stream = true,
            stream_options = new { include_usage = true },
        });

        var chunks = Sse.ParseStrict(reply.Body);
        Assert.All(chunks, c => ChatChunk(c, Model, includeUsage: true));
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        var last = chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        var usage = Usage(last.GetProperty("usage"));
        var streamedTokens = chunks.SkipLast(1).Count(c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) && t.GetString()!.Length > 0);
        Assert.InRange(usage.Completion, 1, 6);
        Assert.True(streamedTokens <= usage.Completion);
    }

    [Fact]
    public async Task ChatCompletion_NThree_ThreeChoicesAndPromptCountedOnce()
    {
        var one = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(n: 1, maxTokens: 8));
        var three = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(n: 3, maxTokens: 8));

        ChatCompletion(three.Json, Model, choices: 3, logprobs: false);
        var usageOne = Usage(one.Json.GetProperty("usage"));
        var usageThree = Usage(three.Json.GetProperty("usage"));
        Assert.Equal(usageOne.Prompt, usageThree.Prompt);
        Assert.InRange(usageThree.Completion, 3, 24);
    }

    [Fact]
    public async Task ChatCompletion_StreamedNThree_EveryChoiceStartsWithRoleAndFinishesOnce()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new
        {
            model = Model,
            messages = new[] { new { role = "user", content = "Once upon a time" } },
            max_tokens = 6,
            n = 3,
            logprobs = true,
            stream = true,
        });

        var chunks = Sse.ParseStrict(reply.Body);
        var byChoice = chunks.SelectMany(c => ChatChunk(c, Model, includeUsage: false)).GroupBy(c => c.GetProperty("index").GetInt32()).ToList();
        Assert.Equal([0, 1, 2], byChoice.Select(g => g.Key).Order());
        foreach (var choice in byChoice)
        {
            Assert.Equal("assistant", choice.First().GetProperty("delta").GetProperty("role").GetString());
            Assert.Single(choice, c => c.GetProperty("finish_reason").ValueKind != JsonValueKind.Null);
            Assert.Contains(choice, c => c.GetProperty("logprobs").ValueKind == JsonValueKind.Object);
        }
    }

    private static string? Content(Reply reply) => reply.Json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
}
