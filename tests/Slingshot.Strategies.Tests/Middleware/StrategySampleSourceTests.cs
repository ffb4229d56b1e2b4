using Microsoft.Extensions.AI;
using Slingshot.Strategies.Cascades;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Tests.Selection;

namespace Slingshot.Strategies.Tests.Middleware;

/// <summary>
/// A strategy is not a model: a sampler over a strategy middleware must get the strategy's answers, not the raw samples of
/// the engine beneath it (which it would if the middleware handed out the inner client's <see cref="ISampleSource"/>).
/// </summary>
public sealed class StrategySampleSourceTests
{
    /// <summary>An engine whose raw samples alternate a failing "answer: 1" and a passing "ok answer: 2"; one call answers "small".</summary>
    private static FakeChatClient Engine()
    {
        var source = new FakeSampleSource
        {
            SampleAsyncCallback = (request, _) => Task.FromResult(FakeSampleSource.Result(
                Enumerable.Range(0, request.Count).Select(i => i % 2 == 0 ? "answer: 1" : "ok answer: 2").ToList(), seed: 1)),
        };
        return new FakeChatClient
        {
            GetServiceCallback = (type, _) => type == typeof(ISampleSource) ? source : null,
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "small"))),
        };
    }

    [Fact]
    public async Task MajorityVote_OverVerifier_VotesOnVerifiedAnswersNotRawSamples()
    {
        var verifier = new ScriptedVerifier();
        // The first Use is the outermost: a vote over a verifier over the engine.
        using var client = new ChatClientBuilder(Engine())
            .UseMajorityVote(new AfterColonExtractor(), 3)
            .UseVerifier(verifier, 2)
            .Build();

        var response = await client.GetResponseAsync("q", new ChatOptions { Seed = 100 });

        // Each of the 3 votes is one verifier answer (2 samples judged: the first fails, the second passes). Sampling the
        // engine directly would have voted "answer: 1" (2 of 3 raw samples) with the verifier never asked.
        Assert.Equal("ok answer: 2", response.Text);
        Assert.Equal(6, verifier.Calls.Count);
    }

    [Fact]
    public void GetService_StrategyOverAnEngine_DoesNotHandOutTheEnginesSampleSource()
    {
        var engine = Engine();
        Assert.NotNull(engine.GetService<ISampleSource>());

        using var vote = new MajorityVoteChatClient(engine, new AfterColonExtractor());
        using var verify = new VerifierChatClient(engine, new ScriptedVerifier());
        using var sample = new RepeatedSamplingChatClient(engine);
        using var cascade = new CascadeChatClient(engine, new CascadeTierOptions(), [new CascadeTier(engine, new CascadeTierOptions())]);

        Assert.Null(vote.GetService<ISampleSource>());
        Assert.Null(verify.GetService<ISampleSource>());
        Assert.Null(sample.GetService<ISampleSource>());
        Assert.Null(cascade.GetService<ISampleSource>());
    }

    [Fact]
    public async Task RepeatedSampler_OverCascade_SendsEveryCallThroughTheCascade()
    {
        var engine = Engine();
        var calls = 0;
        var large = new FakeChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                Interlocked.Increment(ref calls);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "large")));
            },
        };
        // The first tier always escalates: every answer the sampler gets must be the large tier's.
        using var cascade = new CascadeChatClient(engine, new CascadeTierOptions { EscalateWhen = new VerifierEscalation(new ScriptedVerifier()) },
            [new CascadeTier(large, new CascadeTierOptions())]);

        var result = await new RepeatedSampler(cascade, new RepeatedSamplingOptions { Count = 2 }).SampleAsync([new ChatMessage(ChatRole.User, "q")]);

        Assert.Equal(["large", "large"], result.Candidates.Select(c => c.Text));
        Assert.Equal(2, calls);
    }
}
