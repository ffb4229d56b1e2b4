using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Tests.Selection;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Middleware;

public sealed class VerifierChatClientTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Write a passing program.")];

    [Fact]
    public async Task GetResponseAsync_ReturnsFirstPassingSample()
    {
        var verifier = new ScriptedVerifier();
        using IChatClient client = new ChatClientBuilder(FakeChatClient.ScriptedBySeed(["bad", "ok one", "ok two"], []))
            .UseVerifier(verifier, 3)
            .Build();

        var response = await client.GetResponseAsync(Question, new ChatOptions { Seed = 100 });

        Assert.Equal("ok one", response.Text);
        var outcome = response.GetStrategyOutcome()!;
        Assert.Equal(true, outcome.Verified);
        Assert.Equal(1, outcome.SelectedIndex);
        var verdicts = outcome.Verdicts!;
        Assert.False(verdicts[0]!.Passed);
        Assert.Null(verdicts[2]);
        Assert.Equal(30, response.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_NonePassByDefault_ReturnsFirstMarkedUnverified()
    {
        using var client = new VerifierChatClient(FakeChatClient.ScriptedBySeed(["bad", "worse"], []), new ScriptedVerifier(),
            new VerifierChatClientOptions { Sampling = new RepeatedSamplingOptions { Count = 2 } });

        var response = await client.GetResponseAsync(Question, new ChatOptions { Seed = 100 });

        Assert.Equal("bad", response.Text);
        Assert.Equal(false, response.GetStrategyOutcome()!.Verified);
        Assert.Equal("none of 2 samples passed; returned the first", response.GetStrategyOutcome()!.Reason);
    }

    [Fact]
    public async Task GetResponseAsync_NonePassWithThrow_ThrowsWithSamplesAndUsage()
    {
        using var client = new VerifierChatClient(FakeChatClient.ScriptedBySeed(["bad", "worse"], []), new ScriptedVerifier(), new VerifierChatClientOptions
        {
            Sampling = new RepeatedSamplingOptions { Count = 2 },
            WhenNonePass = NoPassingSampleBehavior.Throw,
        });

        var error = await Assert.ThrowsAsync<NoPassingSampleException>(() => client.GetResponseAsync(Question, new ChatOptions { Seed = 100 }));

        Assert.Equal(2, error.Candidates.Count);
        Assert.Equal(2, error.Verdicts.Count);
        Assert.Equal(20, error.Usage.InputTokenCount);
        Assert.Equal("None of 2 samples passed verifier 'scripted'.", error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_RequestContext_ReachesVerifierButNotInnerClient()
    {
        var calls = new List<ChatOptions?>();
        var verifier = new ScriptedVerifier();
        using var client = new VerifierChatClient(FakeChatClient.ScriptedBySeed(["ok"], calls), verifier, new VerifierChatClientOptions
        {
            Sampling = new RepeatedSamplingOptions { Count = 1 },
            Context = new VerificationContext { Reference = "configured" },
        });
        var options = new ChatOptions
        {
            Seed = 100,
            AdditionalProperties = new() { [VerifierChatClient.ContextProperty] = new VerificationContext { Reference = "per request" } },
        };

        await client.GetResponseAsync(Question, options);

        Assert.Equal("per request", verifier.Calls.Single().Context.Reference);
        Assert.False(calls.Single()!.AdditionalProperties!.ContainsKey(VerifierChatClient.ContextProperty));
        Assert.True(options.AdditionalProperties.ContainsKey(VerifierChatClient.ContextProperty));
    }

    [Fact]
    public async Task GetResponseAsync_WithExtractor_GivesEachSampleItsAnswer()
    {
        var verifier = new ScriptedVerifier();
        using var client = new VerifierChatClient(FakeChatClient.ScriptedBySeed(["answer: 1", "ok answer: 2"], []), verifier, new VerifierChatClientOptions
        {
            Sampling = new RepeatedSamplingOptions { Count = 2 },
            Context = new VerificationContext { Reference = "2" },
            Extractor = new AfterColonExtractor(),
        });

        var response = await client.GetResponseAsync(Question, new ChatOptions { Seed = 100 });

        Assert.Equal(["1", "2"], verifier.Calls.Select(c => c.Context.Answer));
        Assert.All(verifier.Calls, c => Assert.Equal("2", c.Context.Reference));
        Assert.Equal("2", response.GetStrategyOutcome()!.Answer);
    }

    [Fact]
    public void Constructor_InvalidParallelism_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            new VerifierChatClient(new FakeChatClient(), new ScriptedVerifier(), new VerifierChatClientOptions { MaxParallelism = 0 }));
    }
}
