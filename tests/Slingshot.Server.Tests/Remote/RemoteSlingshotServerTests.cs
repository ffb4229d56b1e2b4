using Microsoft.Extensions.AI;
using Slingshot.Server.Configuration;
using Slingshot.Server.Tests.Support;
using Slingshot.Strategies;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Remote;
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
        InputPricePerMillion = 0.5,
        OutputPricePerMillion = 2,
    });

    [Fact]
    public async Task GenerateSamplesAsync_SlingshotServer_NativeNWithLogprobsAndUsage()
    {
        using var client = Connect();

        var result = await client.GenerateSamplesAsync(Prompt, 4, Sampling, topLogprobs: 2);

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
            Assert.Equal(s.Logprobs.Count, s.Usage.CompletionTokens);
        });
        // One request: the prompt is paid once, the completions add up.
        Assert.True(result.Usage.PromptTokens > 0);
        Assert.Equal(result.Samples.Sum(s => s.Logprobs!.Count), result.Usage.CompletionTokens);
        var expected = (result.Usage.PromptTokens * 0.5 + result.Usage.CompletionTokens * 2) / 1e6;
        Assert.Equal(expected, client.Options.Cost(result.Usage.PromptTokens, result.Usage.CompletionTokens), 12);
    }

    [Fact]
    public async Task GenerateSamplesAsync_ParallelRequestsToSlingshotServer_PromptPaidPerRequest()
    {
        using var native = Connect();
        using var parallel = Connect(native.Options with { UseNativeN = false });

        var once = await native.GenerateSamplesAsync(Prompt, 3, Sampling);
        var perRequest = await parallel.GenerateSamplesAsync(Prompt, 3, Sampling);

        Assert.Equal(3, perRequest.Samples.Count);
        Assert.Equal(3 * once.Usage.PromptTokens, perRequest.Usage.PromptTokens);
        Assert.Equal([3u, 4u, 5u], perRequest.Samples.Select(s => s.Seed));
    }

    [Fact]
    public async Task RepeatedSampler_RemoteClient_DrawsThroughTheSampleGeneratorSoBestOfNHasLogprobs()
    {
        using var client = Connect();
        var sampler = new RepeatedSampler(client, new RepeatedSamplingOptions { Count = 3, TopLogprobs = 0 });

        var result = await sampler.SampleAsync(Prompt, Sampling);
        var best = BestOfN.Select(result.Candidates);

        Assert.True(result.UsedSampleGenerator);
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

        var candidates = Assert.IsAssignableFrom<IReadOnlyList<Candidate>>(response.AdditionalProperties![StrategyResponseProperties.Candidates]);
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
    }
}
