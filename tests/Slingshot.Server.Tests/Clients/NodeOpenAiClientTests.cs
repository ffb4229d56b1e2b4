using System.Text.Json;
using Slingshot.Server.Tests.Support;

namespace Slingshot.Server.Tests.Clients;

/// <summary>The official openai npm package, unmodified, talks to the server: chat, streaming, n, logprobs, errors.</summary>
public sealed class NodeOpenAiClientTests(ApiKeyServerFixture server) : IClassFixture<ApiKeyServerFixture>
{
    [Fact]
    public async Task OpenAiNodeSdk_FullSession_SeesOpenAiBehaviour()
    {
        var output = await NodeClient.RunAsync("client.mjs", new Dictionary<string, string>
        {
            ["SLINGSHOT_BASE_URL"] = server.BaseUrl + "/v1",
            ["SLINGSHOT_MODEL"] = ServerFixture.Model,
            ["SLINGSHOT_API_KEY"] = ApiKeyServerFixture.Keys[1],
        });
        var summary = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;

        var chat = summary.GetProperty("chat");
        Assert.StartsWith("chatcmpl-", chat.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", chat.GetProperty("object").GetString());
        Assert.Equal(ServerFixture.Model, chat.GetProperty("model").GetString());
        Assert.Equal(1, chat.GetProperty("choices").GetInt32());
        Assert.Equal("assistant", chat.GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(chat.GetProperty("content").GetString()));
        var usage = chat.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());

        var stream = summary.GetProperty("stream");
        Assert.True(stream.GetProperty("chunks").GetInt32() >= 3);
        Assert.Equal(["assistant"], stream.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(1, stream.GetProperty("finishReasons").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(stream.GetProperty("content").GetString()));
        Assert.InRange(stream.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 1, 8);

        var n = summary.GetProperty("n");
        Assert.Equal([0, 1, 2], n.GetProperty("choices").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), n.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());

        var logprobs = summary.GetProperty("logprobs");
        Assert.Equal(logprobs.GetProperty("completionTokens").GetInt32(), logprobs.GetProperty("steps").GetInt32());
        Assert.True(logprobs.GetProperty("allNegative").GetBoolean());
        Assert.True(logprobs.GetProperty("bytesMatch").GetBoolean());
        Assert.Equal([2], logprobs.GetProperty("topPerStep").EnumerateArray().Select(t => t.GetInt32()));

        Assert.Equal("text_completion", summary.GetProperty("completion").GetProperty("object").GetString());
        Assert.Equal([ServerFixture.Model], summary.GetProperty("models").EnumerateArray().Select(m => m.GetString()));

        var unknown = summary.GetProperty("unknownModel");
        Assert.True(unknown.GetProperty("thrown").GetBoolean());
        Assert.Equal("NotFoundError", unknown.GetProperty("name").GetString());
        Assert.True(unknown.GetProperty("notFound").GetBoolean());
        Assert.Equal(404, unknown.GetProperty("status").GetInt32());
        Assert.Equal("model_not_found", unknown.GetProperty("code").GetString());

        var badType = summary.GetProperty("badType");
        Assert.True(badType.GetProperty("badRequest").GetBoolean());
        Assert.Equal(400, badType.GetProperty("status").GetInt32());
        Assert.Equal("max_tokens", badType.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", badType.GetProperty("type").GetString());
    }
}
