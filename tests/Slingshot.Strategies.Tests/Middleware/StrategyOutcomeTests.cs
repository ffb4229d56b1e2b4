using Microsoft.Extensions.AI;
using Slingshot.Strategies.Routing;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Tests.Routing;
using Slingshot.Strategies.Tests.Selection;

namespace Slingshot.Strategies.Tests.Middleware;

/// <summary>The typed outcome: a strategy without its chat-client edge, a plain reply as a result, and outcomes composed by a router.</summary>
public sealed class StrategyOutcomeTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Hi")];
    private static readonly string[] Votes = ["so answer: 4", "I think answer: 5", "yes answer: 5"];

    [Fact]
    public async Task MajorityVoteStrategy_AnswerAsync_ReturnsTheSelectedSampleWithItsOutcome()
    {
        var strategy = new MajorityVoteStrategy(
            new RepeatedSampler(FakeChatClient.ScriptedBySeed(Votes, []), new RepeatedSamplingOptions { Count = 3 }), new AfterColonExtractor());

        var result = await strategy.AnswerAsync(Question, new ChatOptions { Seed = 100 });

        Assert.Equal("I think answer: 5", result.Answer.Text);
        Assert.Same(result.Outcome.Selected, result.Answer);
        Assert.Equal("5", result.Outcome.Answer);
        Assert.Equal(2, result.Outcome.Votes);
        Assert.Equal(3, result.Outcome.Candidates.Count);
        Assert.Equal(30, result.Usage.InputTokenCount);
        Assert.Equal("fake", result.ModelId);
    }

    [Fact]
    public void StrategyResult_FromPlainResponse_IsOneCandidateWithoutEvidence()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { ModelId = "m", Usage = new UsageDetails { InputTokenCount = 4 } };

        var result = StrategyResult.FromResponse(response);

        Assert.Null(response.GetStrategyOutcome());
        Assert.Equal("x", result.Answer.Text);
        Assert.Same(result.Answer, Assert.Single(result.Outcome.Candidates));
        Assert.Null(result.Outcome.Agreement);
        Assert.Null(result.Answer.MeanLogprob);
        Assert.Equal(4, result.Usage.InputTokenCount);
        Assert.Equal("m", result.ModelId);
    }

    [Fact]
    public async Task StrategyResult_FromStrategyResponse_AnswersWithTheSelectedSample()
    {
        using var vote = new MajorityVoteChatClient(FakeChatClient.ScriptedBySeed(Votes, []), new AfterColonExtractor(),
            new RepeatedSamplingOptions { Count = 3 });

        var result = StrategyResult.FromResponse(await vote.GetResponseAsync(Question, new ChatOptions { Seed = 100 }));

        Assert.Equal(1, result.Answer.Index);
        Assert.Equal("5", result.Outcome.Answer);
    }

    [Fact]
    public async Task Router_OverVotingTier_OutcomeKeepsTheVoteAndAddsTheRoute()
    {
        using var vote = new MajorityVoteChatClient(FakeChatClient.ScriptedBySeed(Votes, []), new AfterColonExtractor(),
            new RepeatedSamplingOptions { Count = 3 });
        using var router = new RouterChatClient(vote, new FakeChatClient(), new PromptRouter(RouterChatClientTests.LengthRouter(20)));

        var whole = (await router.GetResponseAsync(Question, new ChatOptions { Seed = 100 })).GetStrategyOutcome()!;
        var streamed = (await router.GetStreamingResponseAsync(Question, new ChatOptions { Seed = 100 }).ToListAsync())
            .ToChatResponse().GetStrategyOutcome()!;

        foreach (var outcome in new[] { whole, streamed })
        {
            Assert.Equal("small", outcome.Route);
            Assert.NotNull(outcome.RouterScore);
            Assert.StartsWith("router score", outcome.Reason, StringComparison.Ordinal);
            Assert.Equal("5", outcome.Answer);
            Assert.Equal(2, outcome.Votes);
        }
    }
}
