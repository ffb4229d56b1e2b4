using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Tests.Middleware;

namespace Slingshot.Strategies.Tests.Sampling;

public sealed class ChatClientSampleGeneratorTests(StoriesChatFixture fixture) : IClassFixture<StoriesChatFixture>
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Once upon a time")];

    [Fact]
    public async Task GenerateSamples_PlainChatClient_SeparateCallsReproduceTheForkedSamples()
    {
        var options = new ChatOptions { Temperature = 1, Seed = 9, MaxOutputTokens = 12 };
        var forked = await fixture.Client.GenerateSamplesAsync(Prompt, 3, options);
        var hidden = new HiddenSampleGeneratorClient(fixture.Client);

        var separate = await new ChatClientSampleGenerator(hidden, maxConcurrency: 2).GenerateSamplesAsync(Prompt, 3, options);

        Assert.Equal(3, hidden.Calls);
        Assert.Equal(forked.Samples.Select(s => s.Text), separate.Samples.Select(s => s.Text));
        Assert.Equal([9u, 10u, 11u], separate.Samples.Select(s => s.Seed));
        Assert.Equal(3 * forked.Usage.PromptTokens, separate.Usage.PromptTokens); // every call pays for its prompt
        Assert.Equal(forked.Usage.CompletionTokens, separate.Usage.CompletionTokens);
        Assert.Equal(forked.Samples.Select(s => s.FinishReason), separate.Samples.Select(s => s.FinishReason));
    }

    [Fact]
    public async Task GenerateSamples_BadCount_Throws()
    {
        var generator = new ChatClientSampleGenerator(fixture.Client);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => generator.GenerateSamplesAsync(Prompt, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatClientSampleGenerator(fixture.Client, maxConcurrency: 0));
    }
}
