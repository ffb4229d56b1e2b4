using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Selection;
using Slingshot.Strategies.Tests.Selection;

namespace Slingshot.Strategies.Tests.Middleware;

public sealed class MajorityVoteChatClientTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is 2 + 3?")];

    private static readonly string[] Answers = ["so answer: 4", "I think answer: 5", "no idea", "yes answer: 5"];

    [Fact]
    public async Task GetResponseAsync_ReturnsFirstSampleWithWinningAnswer()
    {
        var calls = new List<ChatOptions?>();
        using IChatClient client = new ChatClientBuilder(FakeChatClient.ScriptedBySeed(Answers, calls))
            .UseMajorityVote(new AfterColonExtractor(), 4)
            .Build();

        var response = await client.GetResponseAsync(Question, new ChatOptions { Seed = 100 });

        Assert.Equal("I think answer: 5", response.Text);
        var outcome = response.GetStrategyOutcome()!;
        Assert.Equal("5", outcome.Answer);
        Assert.Equal(2.0 / 3, outcome.Agreement!.Value, 12);
        Assert.Equal(2, outcome.Votes);
        Assert.Equal(3, outcome.Voters);
        Assert.Equal(1, outcome.SelectedIndex);
        Assert.Equal(4, outcome.Candidates.Count);
        Assert.Equal(2, outcome.Tally!.Count);
        Assert.Equal(4, calls.Count);
    }

    [Fact]
    public async Task GetResponseAsync_Usage_IsSumOverEverySample()
    {
        using var client = new MajorityVoteChatClient(FakeChatClient.ScriptedBySeed(Answers, []), new AfterColonExtractor(),
            new RepeatedSamplingOptions { Count = 4 });

        var response = await client.GetResponseAsync(Question, new ChatOptions { Seed = 100 });

        Assert.Equal(40, response.Usage!.InputTokenCount);
        Assert.Equal(12, response.Usage.OutputTokenCount);
        Assert.Equal(52, response.Usage.TotalTokenCount);
        Assert.Equal("fake", response.ModelId);
    }

    [Fact]
    public async Task GetResponseAsync_NoSampleHasAnswer_ReturnsFirstWithoutAnswer()
    {
        using var client = new MajorityVoteChatClient(FakeChatClient.ScriptedBySeed(["hmm", "well"], []), new AfterColonExtractor(),
            new RepeatedSamplingOptions { Count = 2 });

        var response = await client.GetResponseAsync(Question, new ChatOptions { Seed = 100 });

        Assert.Equal("hmm", response.Text);
        var outcome = response.GetStrategyOutcome()!;
        Assert.Null(outcome.Answer);
        Assert.Equal(0.0, outcome.Agreement);
        Assert.Equal(0, outcome.Voters);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_YieldsTheSelectedResponse()
    {
        using var client = new MajorityVoteChatClient(FakeChatClient.ScriptedBySeed(Answers, []), new AfterColonExtractor(),
            new RepeatedSamplingOptions { Count = 4 });

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Question, new ChatOptions { Seed = 100 }))
        {
            updates.Add(update);
        }
        var streamed = updates.ToChatResponse();

        Assert.Equal("I think answer: 5", streamed.Text);
        Assert.Equal(40, streamed.Usage!.InputTokenCount);
        Assert.Equal("5", streamed.GetStrategyOutcome()!.Answer);
    }

    [Fact]
    public async Task GetResponseAsync_CallerOptions_AreNotModified()
    {
        using var client = new MajorityVoteChatClient(FakeChatClient.ScriptedBySeed(Answers, []), new AfterColonExtractor(),
            new RepeatedSamplingOptions { Count = 4 });
        var options = new ChatOptions { Seed = 100, MaxOutputTokens = 9 };

        await client.GetResponseAsync(Question, options);

        Assert.Equal(100, options.Seed);
        Assert.Equal(9, options.MaxOutputTokens);
    }

    [Fact]
    public void GetService_PassesThroughToInnerClientExceptItsSampleSource()
    {
        var source = new FakeSampleSource();
        var metadata = new ChatClientMetadata("fake");
        var inner = new FakeChatClient
        {
            GetServiceCallback = (type, _) => type == typeof(ISampleSource) ? source : type == typeof(ChatClientMetadata) ? metadata : null,
        };
        using var client = new MajorityVoteChatClient(inner, new AfterColonExtractor());

        // The vote is not a model: a sampler above it must call it, not draw the inner client's raw samples.
        Assert.Null(client.GetService<ISampleSource>());
        Assert.Same(metadata, client.GetService<ChatClientMetadata>());
        Assert.Same(client, client.GetService<MajorityVoteChatClient>());
        Assert.IsType<MajorityVoteStrategy>(client.GetService<IStrategy>());
    }

    [Fact]
    public void Build_OverRepeatedSampling_Throws()
    {
        var builder = new ChatClientBuilder(new FakeChatClient()).UseMajorityVote(new AfterColonExtractor(), 4).UseRepeatedSampling(4);

        var error = Assert.Throws<ArgumentException>(() => builder.Build());

        Assert.Contains("draws its own samples", error.Message, StringComparison.Ordinal);
    }
}
