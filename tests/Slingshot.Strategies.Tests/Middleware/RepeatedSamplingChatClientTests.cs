using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies.Tests.Middleware;

public sealed class RepeatedSamplingChatClientTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Tell me a story.")];

    [Fact]
    public async Task GetResponseAsync_ReturnsFirstSampleWithAllCandidatesAttached()
    {
        using IChatClient client = new ChatClientBuilder(FakeChatClient.ScriptedBySeed(["one", "two", "three"], []))
            .UseRepeatedSampling(3)
            .Build();

        var response = await client.GetResponseAsync(Question, new ChatOptions { Seed = 100 });

        Assert.Equal("one", response.Text);
        var outcome = response.GetStrategyOutcome()!;
        var candidates = outcome.Candidates;
        Assert.Equal(["one", "two", "three"], candidates.Select(c => c.Text));
        Assert.Equal(0, outcome.SelectedIndex);
        Assert.Equal(30, response.Usage!.InputTokenCount);
        Assert.Equal(9, response.Usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UpdatesCombineToTheResponse()
    {
        using var client = new RepeatedSamplingChatClient(FakeChatClient.ScriptedBySeed(["one", "two"], []), new RepeatedSamplingOptions { Count = 2 });

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Question, new ChatOptions { Seed = 100 }))
        {
            updates.Add(update);
        }

        var streamed = updates.ToChatResponse();
        Assert.Equal("one", streamed.Text);
        Assert.Equal(20, streamed.Usage!.InputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, streamed.FinishReason);
    }
}
