using System.Text.Json;
using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.WireFormat;

/// <summary>A "vote" virtual model answers like any other model, with usage covering every sample drawn underneath.</summary>
public sealed class VirtualModelTests(VoteServerFixture server) : IClassFixture<VoteServerFixture>
{
    private const string Vote = VoteServerFixture.VoteModel;

    [Fact]
    public async Task VoteModel_NonStreaming_OpenAiShapeAndUsageOfAllSamples()
    {
        var local = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 8));
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 8, model: Vote));

        Assert.Equal(200, reply.Code);
        ChatCompletion(reply.Json, Vote, choices: 1, logprobs: false);
        var usage = Usage(reply.Json.GetProperty("usage"));
        Assert.True(usage.Prompt >= Usage(local.Json.GetProperty("usage")).Prompt);
        Assert.InRange(usage.Completion, 3, 3 * 8);
        await Metrics.WaitForIdleAsync(server.Http);
    }

    [Fact]
    public async Task VoteModel_Streaming_RoleContentFinishUsageDone()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new
        {
            model = Vote,
            messages = new[] { new { role = "user", content = "Once upon a time" } },
            max_tokens = 6,
            stream = true,
            stream_options = new { include_usage = true },
        });

        var chunks = Sse.ParseStrict(reply.Body);
        Assert.All(chunks, c => ChatChunk(c, Vote, includeUsage: true));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Single(chunks, c => c.GetProperty("choices").EnumerateArray().Any(ch => ch.GetProperty("finish_reason").ValueKind != JsonValueKind.Null));
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.InRange(Usage(chunks[^1].GetProperty("usage")).Completion, 3, 18);
    }

    [Theory]
    [InlineData("""{"n": 2}""", "n")]
    [InlineData("""{"logprobs": true}""", "logprobs")]
    public async Task VoteModel_PerSampleOptions_400NamingTheField(string extra, string param)
    {
        var body = $$"""{"model": "{{Vote}}", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2, {{extra[1..^1]}}}""";

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Error(reply, 400, "invalid_request_error", param: param);
    }

    [Fact]
    public async Task VoteModel_TextCompletions_400Model()
    {
        var reply = await server.Http.PostJsonAsync("/v1/completions", new { model = Vote, prompt = "Once", max_tokens = 2 });

        Error(reply, 400, "invalid_request_error", param: "model");
    }

    [Fact]
    public async Task Models_ListsLocalAndVirtual()
    {
        var reply = await server.Http.GetReplyAsync("/v1/models");

        var models = Array(reply.Json, "data").ToDictionary(m => String(m, "id"), m => String(m, "owned_by"));
        Assert.Equal(2, models.Count);
        Assert.Equal("slingshot", models[ServerFixture.Model]);
        Assert.Equal("slingshot-strategy", models[Vote]);
    }
}
