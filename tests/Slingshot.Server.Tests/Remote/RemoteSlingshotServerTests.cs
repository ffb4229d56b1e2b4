using Microsoft.Extensions.AI;
using Slingshot.Server.Configuration;
using Slingshot.Server.Tests.Support;
using Slingshot.Strategies;
using Slingshot.Strategies.Extraction;
using Slingshot.Remote;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Selection;

namespace Slingshot.Server.Tests.Remote;

/// <summary>
/// The real server serving the local model, and also itself as a remote endpoint ("stories-remote") with a majority
/// vote over that endpoint ("remote-vote"): the remote path end to end through real HTTP and the real engine.
/// </summary>
public sealed class SelfRemoteServerFixture : ServerFixture
{
    public const string RemoteModel = "stories-remote";
    public const string RemoteVote = "remote-vote";
    public const string EscalatingCascade = "always-escalate";

    protected override void Configure(ServerOptions options)
    {
        options.Endpoints.Add(new RemoteEndpointOptions
        {
            Name = RemoteModel,
            Url = options.Urls + "/v1",
            Model = Model,
            MaxConcurrency = 2,
            InputPricePerMillion = 0.5,
            OutputPricePerMillion = 2,
        });
        options.VirtualModels.Add(new VirtualModelOptions { Name = RemoteVote, Model = RemoteModel, Samples = 3, Extractor = "gsm8k-flexible" });
        // Agreement never reaches 1.01: every request goes on to the remote fallback.
        options.VirtualModels.Add(new VirtualModelOptions
        {
            Name = EscalatingCascade, Strategy = "cascade", Model = Model, Samples = 2, Extractor = "gsm8k-flexible", Fallback = RemoteModel, Threshold = 1.01,
        });
    }
}

/// <summary>A remote model against Slingshot's own server: n in one request, logprobs, usage, prices, strategies, served endpoints.</summary>
public sealed class RemoteSlingshotServerTests(SelfRemoteServerFixture server) : IClassFixture<SelfRemoteServerFixture>
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Once upon a time")];

    private static ChatOptions Sampling => new() { MaxOutputTokens = 8, Temperature = 0.9f, Seed = 3 };

    private RemoteChatClient Connect(RemoteModelOptions? overrides = null) => RemoteModel.Connect(overrides ?? new RemoteModelOptions
    {
        Url = server.BaseUrl + "/v1",
        Model = ServerFixture.Model,
        Price = new TokenPrice(0.5, 2),
    });

    [Fact]
    public async Task SampleAsync_SlingshotServer_NativeNWithLogprobsAndUsage()
    {
        using var client = Connect();

        var result = await client.SampleAsync(SampleRequest.Chat(Prompt, 4, Sampling, topLogprobs: 2));

        Assert.True(client.SupportsNativeN);
        Assert.Equal(4, result.Samples.Count);
        Assert.Equal([0, 1, 2, 3], result.Samples.Select(s => s.Index));
        Assert.All(result.Samples, s =>
        {
            Assert.NotNull(s.Logprobs);
            Assert.InRange(s.Logprobs.Count, 1, 8);
            Assert.All(s.Logprobs, t => Assert.InRange(t.Chosen.Logprob, float.NegativeInfinity, 0f));
            Assert.All(s.Logprobs, t => Assert.Equal(2, t.TopAlternatives.Count));
            Assert.InRange(s.MeanLogprob!.Value, double.NegativeInfinity, 0);
            Assert.Equal(s.Logprobs.Count, s.Usage!.Value.CompletionTokens);
        });
        // One request: the prompt is paid once, the completions add up.
        Assert.True(result.Usage.PromptTokens > 0);
        Assert.Equal(result.Samples.Sum(s => s.Logprobs!.Count), result.Usage.CompletionTokens);
        var expected = (result.Usage.PromptTokens * 0.5 + result.Usage.CompletionTokens * 2) / 1e6;
        Assert.Equal(expected, client.Options.Price!.Value.Cost(result.Usage.PromptTokens, result.Usage.CompletionTokens), 12);
    }

    [Fact]
    public async Task SampleAsync_ParallelRequestsToSlingshotServer_PromptPaidPerRequest()
    {
        using var native = Connect();
        using var parallel = Connect(native.Options with { UseNativeN = false });

        var once = await native.SampleAsync(SampleRequest.Chat(Prompt, 3, Sampling));
        var perRequest = await parallel.SampleAsync(SampleRequest.Chat(Prompt, 3, Sampling));

        Assert.Equal(3, perRequest.Samples.Count);
        Assert.Equal(3 * once.Usage.PromptTokens, perRequest.Usage.PromptTokens);
        Assert.Equal([3L, 4L, 5L], perRequest.Samples.Select(s => s.Seed!.Value));
    }

    [Fact]
    public async Task RepeatedSampler_RemoteClient_DrawsThroughTheSampleSourceSoBestOfNHasLogprobs()
    {
        using var client = Connect();
        var sampler = new RepeatedSampler(client, new RepeatedSamplingOptions { Count = 3, TopLogprobs = 0 });

        var result = await sampler.SampleAsync(Prompt, Sampling);
        var best = BestOfN.Select(result.Candidates);

        Assert.True(result.UsedSampleSource);
        Assert.All(result.Candidates, c => Assert.NotNull(c.MeanLogprob));
        Assert.NotNull(best.Index);
        Assert.Equal(result.Candidates.Max(c => c.MeanLogprob), result.Candidates[best.Index.Value].MeanLogprob);
    }

    [Fact]
    public async Task MajorityVote_OverRemoteClient_VotesOverAllSamples()
    {
        using var remote = Connect();
        using var vote = new ChatClientBuilder(remote).UseMajorityVote(ExtractorRegistry.Create("gsm8k-flexible"), 3).Build();

        var response = await vote.GetResponseAsync(Prompt, Sampling);

        var candidates = response.GetStrategyOutcome()!.Candidates;
        Assert.Equal(3, candidates.Count);
        Assert.NotNull(response.Usage);
        Assert.True(response.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task ChatCompletions_ConfiguredEndpoint_AnswersThroughTheRemoteClient()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(model: SelfRemoteServerFixture.RemoteModel));

        Assert.Equal(200, reply.Code);
        Assert.Equal(SelfRemoteServerFixture.RemoteModel, reply.Json.GetProperty("model").GetString());
        Assert.False(string.IsNullOrEmpty(reply.Json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
        Assert.True(reply.Json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SlingshotServer_UpdatesAddUpWithUsage()
    {
        using var client = Connect();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Prompt, Sampling))
        {
            updates.Add(update);
        }
        var response = updates.ToChatResponse();

        Assert.True(updates.Count >= 3);
        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.InRange(response.Usage?.OutputTokenCount ?? 0, 1, 8);
    }

    [Fact]
    public async Task ChatCompletions_CascadeWithEndpointFallback_EscalatesAndCountsBothTiers()
    {
        var local = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(model: ServerFixture.Model));
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(model: SelfRemoteServerFixture.EscalatingCascade));

        Assert.Equal(200, reply.Code);
        // Two local samples and one remote call: the prompt is paid at least twice (once locally, once remotely).
        Assert.True(reply.Json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32()
            >= 2 * local.Json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        // The response says what happened underneath: the local tier escalated, the endpoint answered.
        var attempts = reply.Json.GetProperty("slingshot").GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.Equal([0, 1], attempts.Select(a => a.GetProperty("tier").GetInt32()));
        Assert.False(string.IsNullOrEmpty(attempts[0].GetProperty("escalated_because").GetString()), reply.Body);
        Assert.True(attempts[1].GetProperty("completion_tokens").GetInt32() > 0, reply.Body);
    }

    [Fact]
    public async Task ChatCompletions_VirtualModelOverEndpoint_VotesOverRemoteSamples()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(model: SelfRemoteServerFixture.RemoteVote));

        Assert.Equal(200, reply.Code);
        Assert.Equal(SelfRemoteServerFixture.RemoteVote, reply.Json.GetProperty("model").GetString());
        // The vote reports in usage every remote call made underneath.
        Assert.True(reply.Json.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        Assert.NotNull(reply.Json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var details = reply.Json.GetProperty("slingshot");
        Assert.InRange(details.GetProperty("voters").GetInt32(), 0, 3);
        Assert.InRange(details.GetProperty("agreement").GetDouble(), 0, 1);
        Assert.False(string.IsNullOrEmpty(details.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task ChatCompletions_EndpointWithNAndLogprobs_ReturnsEveryRemoteChoice()
    {
        var body = (Dictionary<string, object>)HttpExtensions.Chat(model: SelfRemoteServerFixture.RemoteModel, n: 3);
        body["logprobs"] = true;
        body["top_logprobs"] = 2;
        body["temperature"] = 0.9;
        body["seed"] = 5;

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Assert.Equal(200, reply.Code);
        var choices = reply.Json.GetProperty("choices").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices, c =>
        {
            var content = c.GetProperty("logprobs").GetProperty("content").EnumerateArray().ToArray();
            Assert.InRange(content.Length, 1, 8);
            Assert.All(content, t => Assert.Equal(2, t.GetProperty("top_logprobs").GetArrayLength()));
        });
        var completion = reply.Json.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        Assert.Equal(choices.Sum(c => c.GetProperty("logprobs").GetProperty("content").GetArrayLength()), completion);
    }

    [Fact]
    public async Task ChatCompletions_EndpointStreamWithN_SendsEachChoiceThenUsage()
    {
        var body = (Dictionary<string, object>)HttpExtensions.Chat(model: SelfRemoteServerFixture.RemoteModel, n: 2, stream: true);
        body["stream_options"] = new { include_usage = true };

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Assert.Equal(200, reply.Code);
        var events = reply.Body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).ToArray();
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => System.Text.Json.JsonDocument.Parse(e["data: ".Length..]).RootElement).ToArray();
        var finished = chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray())
            .Where(c => c.GetProperty("finish_reason").ValueKind == System.Text.Json.JsonValueKind.String)
            .Select(c => c.GetProperty("index").GetInt32()).Order().ToArray();
        Assert.Equal([0, 1], finished);
        Assert.True(chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task ChatCompletions_StrategyWithN_IsRefusedNamingTheField()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(model: SelfRemoteServerFixture.RemoteVote, n: 2));

        Assert.Equal(400, reply.Code);
        Assert.Equal("n", reply.Json.GetProperty("error").GetProperty("param").GetString());
    }
}
