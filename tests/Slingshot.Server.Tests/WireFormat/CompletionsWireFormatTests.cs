using System.Text.Json;
using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.WireFormat;

/// <summary>/v1/completions (the legacy text API): string and array prompts, n, logprobs, echo, streaming.</summary>
public sealed class CompletionsWireFormatTests(DefaultServerFixture server) : IClassFixture<DefaultServerFixture>
{
    private const string Model = ServerFixture.Model;

    [Fact]
    public async Task Completion_StringPrompt_MatchesOpenAiSchema()
    {
        var reply = await server.Http.PostJsonAsync("/v1/completions", new { model = Model, prompt = "Once upon a time", max_tokens = 8 });

        Assert.Equal(200, reply.Code);
        TextCompletion(reply.Json, Model, choices: 1, logprobs: false);
        Assert.InRange(Usage(reply.Json.GetProperty("usage")).Completion, 1, 8);
    }

    [Fact]
    public async Task Completion_ArrayPromptWithN_ChoicesPerPromptInOrderAndUsageSummed()
    {
        var prompts = new[] { "Once upon a time", "The cat sat on the mat and" };
        var single = await server.Http.PostJsonAsync("/v1/completions", new { model = Model, prompt = prompts[1], max_tokens = 4 });
        var reply = await server.Http.PostJsonAsync("/v1/completions", new { model = Model, prompt = prompts, n = 2, max_tokens = 4 });

        Assert.Equal(200, reply.Code);
        TextCompletion(reply.Json, Model, choices: 4, logprobs: false);
        var first = await server.Http.PostJsonAsync("/v1/completions", new { model = Model, prompt = prompts[0], max_tokens = 4 });
        var promptTokens = Usage(first.Json.GetProperty("usage")).Prompt + Usage(single.Json.GetProperty("usage")).Prompt;
        Assert.Equal(promptTokens, Usage(reply.Json.GetProperty("usage")).Prompt);
    }

    [Fact]
    public async Task Completion_Logprobs_TokensMatchTextAndOffsetsAdvance()
    {
        var reply = await server.Http.PostJsonAsync("/v1/completions", new { model = Model, prompt = "Once upon a time", max_tokens = 8, logprobs = 2 });

        TextCompletion(reply.Json, Model, choices: 1, logprobs: true);
        var choice = reply.Json.GetProperty("choices")[0];
        var logprobs = choice.GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(choice.GetProperty("text").GetString(), string.Concat(tokens));
        var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()).ToList();
        Assert.Equal(0, offsets[0]);
        for (var i = 1; i < offsets.Count; i++)
        {
            Assert.Equal(offsets[i - 1] + tokens[i - 1].Length, offsets[i]);
        }
        Assert.All(logprobs.GetProperty("top_logprobs").EnumerateArray(), top => Assert.InRange(top.EnumerateObject().Count(), 1, 2));
    }

    [Fact]
    public async Task Completion_Echo_TextStartsWithPromptAndOffsetsFollowIt()
    {
        const string prompt = "Once upon a time";
        var reply = await server.Http.PostJsonAsync("/v1/completions", new { model = Model, prompt, max_tokens = 6, echo = true, logprobs = 1 });

        TextCompletion(reply.Json, Model, choices: 1, logprobs: true);
        var choice = reply.Json.GetProperty("choices")[0];
        Assert.StartsWith(prompt, choice.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(prompt.Length, choice.GetProperty("logprobs").GetProperty("text_offset")[0].GetInt32());
    }

    [Fact]
    public async Task Completion_StreamingWithLogprobs_EveryTokenCarriesItsLogprob()
    {
        const string prompt = "Once upon a time";
        var reply = await server.Http.PostJsonAsync("/v1/completions", new
        {
            model = Model, prompt, max_tokens = 6, logprobs = 2, echo = true, stream = true, stream_options = new { include_usage = true },
        });

        var chunks = Sse.ParseStrict(reply.Body);
        var choices = chunks.SelectMany(c => TextChunk(c, Model, includeUsage: true)).ToList();
        var steps = choices.Where(c => c.GetProperty("logprobs").ValueKind == JsonValueKind.Object).Select(c => c.GetProperty("logprobs")).ToList();
        Assert.Equal(Usage(chunks[^1].GetProperty("usage")).Completion, steps.Count);
        var offset = prompt.Length;
        foreach (var step in steps)
        {
            var token = Assert.Single(step.GetProperty("tokens").EnumerateArray()).GetString()!;
            Assert.True(Assert.Single(step.GetProperty("token_logprobs").EnumerateArray()).GetDouble() <= 0);
            Assert.Equal(offset, Assert.Single(step.GetProperty("text_offset").EnumerateArray()).GetInt32());
            offset += token.Length;
        }
    }

    [Fact]
    public async Task Completion_Streaming_TextChunksThenUsageThenDone()
    {
        var reply = await server.Http.PostJsonAsync("/v1/completions", new
        {
            model = Model, prompt = "Once upon a time", max_tokens = 6, n = 2, stream = true, stream_options = new { include_usage = true },
        });

        Assert.Equal(200, reply.Code);
        var chunks = Sse.ParseStrict(reply.Body);
        var choices = chunks.SelectMany(c => TextChunk(c, Model, includeUsage: true)).ToList();
        Assert.Equal([0, 1], choices.Select(c => c.GetProperty("index").GetInt32()).Distinct().Order());
        Assert.Equal(2, choices.Count(c => c.GetProperty("finish_reason").ValueKind != JsonValueKind.Null));
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.InRange(Usage(chunks[^1].GetProperty("usage")).Completion, 2, 12);
    }
}
