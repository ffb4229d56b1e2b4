using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Tests.Middleware;

namespace Slingshot.Strategies.Tests.Sampling;

public sealed class ChatClientSampleSourceTests(StoriesChatFixture fixture) : IClassFixture<StoriesChatFixture>
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Once upon a time")];

    [Fact]
    public async Task SampleAsync_PlainChatClient_SeparateCallsReproduceTheForkedSamples()
    {
        var options = new ChatOptions { Temperature = 1, Seed = 9, MaxOutputTokens = 12 };
        var forked = await fixture.Client.SampleAsync(SampleRequest.Chat(Prompt, 3, options));
        var hidden = new HiddenSampleSourceClient(fixture.Client);

        var separate = await new ChatClientSampleSource(hidden, maxConcurrency: 2).SampleAsync(SampleRequest.Chat(Prompt, 3, options));

        Assert.Equal(3, hidden.Calls);
        Assert.Equal(forked.Samples.Select(s => s.Text), separate.Samples.Select(s => s.Text));
        Assert.Equal([9L, 10L, 11L], separate.Samples.Select(s => s.Seed!.Value));
        Assert.All(separate.Samples, s => Assert.Null(s.Tokens)); // a chat client has no token ids
        Assert.Equal(forked.Samples.Select(s => s.Usage!.Value.CompletionTokens), separate.Samples.Select(s => s.Usage!.Value.CompletionTokens));
        Assert.Equal(3 * forked.Usage.PromptTokens, separate.Usage.PromptTokens); // every call pays for its prompt
        Assert.Equal(forked.Usage.CompletionTokens, separate.Usage.CompletionTokens);
        Assert.Equal(forked.Samples.Select(s => s.FinishReason), separate.Samples.Select(s => s.FinishReason));
    }

    [Fact]
    public async Task SampleAsync_BadCount_Throws()
    {
        var source = new ChatClientSampleSource(fixture.Client);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => source.SampleAsync(new SampleRequest { Messages = Prompt, Count = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatClientSampleSource(fixture.Client, maxConcurrency: 0));
    }
}
