using System.Text;
using System.Text.Json;

namespace Slingshot.Server.Tests.Support;

/// <summary>Assertions that a response has the shape of OpenAI's API reference, field by field.</summary>
public static class OpenAiSchema
{
    private static readonly string[] FinishReasons = ["stop", "length"];

    public static void ChatCompletion(JsonElement root, string model, int choices, bool logprobs)
    {
        Header(root, "chatcmpl-", "chat.completion", model);
        var list = Array(root, "choices");
        Assert.Equal(choices, list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var choice = list[i];
            Assert.Equal(i, Int(choice, "index"));
            var message = Property(choice, "message", JsonValueKind.Object);
            Assert.Equal("assistant", String(message, "role"));
            String(message, "content");
            ChatLogprobs(Property(choice, "logprobs"), logprobs);
            Assert.Contains(String(choice, "finish_reason"), FinishReasons);
        }
        Usage(Property(root, "usage", JsonValueKind.Object));
    }

    /// <summary>A streamed chat chunk; returns its choices (usage-only chunks have none).</summary>
    public static IReadOnlyList<JsonElement> ChatChunk(JsonElement chunk, string model, bool includeUsage)
    {
        Header(chunk, "chatcmpl-", "chat.completion.chunk", model);
        var choices = Array(chunk, "choices");
        foreach (var choice in choices)
        {
            Assert.True(Int(choice, "index") >= 0);
            var delta = Property(choice, "delta", JsonValueKind.Object);
            foreach (var field in delta.EnumerateObject())
            {
                Assert.Contains(field.Name, new[] { "role", "content" });
                Assert.Equal(JsonValueKind.String, field.Value.ValueKind);
            }
            var logprobs = Property(choice, "logprobs");
            if (logprobs.ValueKind != JsonValueKind.Null)
            {
                ChatLogprobs(logprobs, expected: true);
            }
            FinishReason(choice);
        }
        StreamUsage(chunk, includeUsage, choices.Count);
        return choices;
    }

    public static void TextCompletion(JsonElement root, string model, int choices, bool logprobs)
    {
        Header(root, "cmpl-", "text_completion", model);
        var list = Array(root, "choices");
        Assert.Equal(choices, list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var choice = list[i];
            Assert.Equal(i, Int(choice, "index"));
            String(choice, "text");
            TextLogprobs(Property(choice, "logprobs"), logprobs);
            Assert.Contains(String(choice, "finish_reason"), FinishReasons);
        }
        Usage(Property(root, "usage", JsonValueKind.Object));
    }

    public static IReadOnlyList<JsonElement> TextChunk(JsonElement chunk, string model, bool includeUsage)
    {
        Header(chunk, "cmpl-", "text_completion", model);
        var choices = Array(chunk, "choices");
        foreach (var choice in choices)
        {
            String(choice, "text");
            Assert.True(Int(choice, "index") >= 0);
            FinishReason(choice);
        }
        StreamUsage(chunk, includeUsage, choices.Count);
        return choices;
    }

    /// <summary>usage: prompt, completion and total tokens, the total their sum.</summary>
    public static (int Prompt, int Completion) Usage(JsonElement usage)
    {
        var prompt = Int(usage, "prompt_tokens");
        var completion = Int(usage, "completion_tokens");
        Assert.True(prompt > 0, "prompt_tokens must be positive");
        Assert.True(completion >= 0);
        Assert.Equal(prompt + completion, Int(usage, "total_tokens"));
        return (prompt, completion);
    }

    /// <summary>OpenAI's error object: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
    public static JsonElement Error(Reply reply, int status, string? type = null, string? code = null, string? param = null)
    {
        Assert.True(reply.Code == status, $"Expected {status}, got {reply.Code}: {reply.Body}");
        Assert.StartsWith("application/json", reply.Message.Content.Headers.ContentType?.ToString());
        var error = Property(reply.Json, "error", JsonValueKind.Object);
        Assert.False(string.IsNullOrWhiteSpace(String(error, "message")));
        var actualType = String(error, "type");
        Assert.True(error.TryGetProperty("param", out _), "error.param must be present (null when no field is at fault)");
        Assert.True(error.TryGetProperty("code", out _), "error.code must be present");
        if (type is not null)
        {
            Assert.Equal(type, actualType);
        }
        if (code is not null)
        {
            Assert.Equal(code, error.GetProperty("code").GetString());
        }
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
        return error;
    }

    private static void Header(JsonElement root, string idPrefix, string objectName, string model)
    {
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.StartsWith(idPrefix, String(root, "id"), StringComparison.Ordinal);
        Assert.Equal(objectName, String(root, "object"));
        var created = Property(root, "created", JsonValueKind.Number).GetInt64();
        Assert.InRange(created, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.Equal(model, String(root, "model"));
    }

    private static void StreamUsage(JsonElement chunk, bool includeUsage, int choiceCount)
    {
        if (!includeUsage)
        {
            Assert.False(chunk.TryGetProperty("usage", out _), "usage must be absent without stream_options.include_usage");
            return;
        }
        var usage = Property(chunk, "usage");
        if (choiceCount > 0)
        {
            Assert.Equal(JsonValueKind.Null, usage.ValueKind);
        }
        else if (usage.ValueKind == JsonValueKind.Object)
        {
            Usage(usage);
        }
    }

    private static void FinishReason(JsonElement choice)
    {
        var finish = Property(choice, "finish_reason");
        if (finish.ValueKind != JsonValueKind.Null)
        {
            Assert.Contains(finish.GetString(), FinishReasons);
        }
    }

    private static void ChatLogprobs(JsonElement logprobs, bool expected)
    {
        if (!expected)
        {
            Assert.Equal(JsonValueKind.Null, logprobs.ValueKind);
            return;
        }
        foreach (var step in Array(logprobs, "content"))
        {
            TokenLogprob(step);
            foreach (var alternative in Array(step, "top_logprobs"))
            {
                TokenLogprob(alternative);
            }
        }
    }

    private static void TokenLogprob(JsonElement entry)
    {
        var token = String(entry, "token");
        Assert.True(Property(entry, "logprob", JsonValueKind.Number).GetDouble() <= 0, "a log-probability is at most 0");
        var bytes = Array(entry, "bytes").Select(b => (byte)b.GetInt32()).ToArray();
        Assert.Equal(token, Encoding.UTF8.GetString(bytes));
    }

    private static void TextLogprobs(JsonElement logprobs, bool expected)
    {
        if (!expected)
        {
            Assert.Equal(JsonValueKind.Null, logprobs.ValueKind);
            return;
        }
        var tokens = Array(logprobs, "tokens");
        var values = Array(logprobs, "token_logprobs");
        var tops = Array(logprobs, "top_logprobs");
        var offsets = Array(logprobs, "text_offset");
        Assert.Equal(tokens.Count, values.Count);
        Assert.Equal(tokens.Count, tops.Count);
        Assert.Equal(tokens.Count, offsets.Count);
        Assert.All(tokens, t => Assert.Equal(JsonValueKind.String, t.ValueKind));
        Assert.All(values, v => Assert.True(v.GetDouble() <= 0));
        Assert.All(tops, t => Assert.Equal(JsonValueKind.Object, t.ValueKind));
    }

    public static JsonElement Property(JsonElement parent, string name, JsonValueKind? kind = null)
    {
        Assert.True(parent.TryGetProperty(name, out var value), $"'{name}' is missing from {parent}");
        if (kind is { } k)
        {
            Assert.True(value.ValueKind == k, $"'{name}' should be {k} but is {value.ValueKind}: {value}");
        }
        return value;
    }

    public static string String(JsonElement parent, string name) => Property(parent, name, JsonValueKind.String).GetString()!;

    public static int Int(JsonElement parent, string name) => Property(parent, name, JsonValueKind.Number).GetInt32();

    public static IReadOnlyList<JsonElement> Array(JsonElement parent, string name) =>
        Property(parent, name, JsonValueKind.Array).EnumerateArray().ToList();
}
