using Microsoft.Extensions.AI;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

public sealed class ChatClientTests(TinyEngineFixture fixture) : IClassFixture<TinyEngineFixture>
{
    private static readonly ChatMessage[] Conversation = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Say hello.")];

    [Fact]
    public async Task Streaming_ConcatenatedUpdates_EqualNonStreamingResponse()
    {
        IChatClient client = new LlamaChatClient(fixture.Engine);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 20 };

        var response = await client.GetResponseAsync(Conversation, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Conversation, options))
        {
            updates.Add(update);
        }
        var streamed = updates.ToChatResponse();

        Assert.Equal(response.Text, streamed.Text);
        Assert.Equal(response.FinishReason, streamed.FinishReason);
        Assert.Equal(response.Usage!.OutputTokenCount, streamed.Usage!.OutputTokenCount);
        Assert.Equal(response.Usage.InputTokenCount, streamed.Usage.InputTokenCount);
    }

    [Fact]
    public async Task Response_ReportsUsageAndModel()
    {
        IChatClient client = new LlamaChatClient(fixture.Engine, new LlamaChatClientOptions { ModelId = "tiny" });

        var response = await client.GetResponseAsync(Conversation, new ChatOptions { Temperature = 0, MaxOutputTokens = 7 });

        Assert.Equal("tiny", response.ModelId);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(7, response.Usage!.OutputTokenCount);
        Assert.True(response.Usage.InputTokenCount > 5);
        Assert.Equal(response.Usage.InputTokenCount + 7, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task GetService_FindsSampleSourceAndMetadata()
    {
        IChatClient client = new LlamaChatClient(fixture.Engine);

        var source = client.GetService<ISampleSource>();
        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(source);
        Assert.Equal("slingshot", metadata!.ProviderName);
        var result = await source.SampleAsync(SampleRequest.Chat(Conversation, 4, new ChatOptions { Temperature = 0.9f, Seed = 3, MaxOutputTokens = 8 }, topLogprobs: 0));
        Assert.Equal(4, result.Samples.Count);
        Assert.All(result.Samples, s => Assert.Equal(s.Tokens!.Count, s.Logprobs!.Count));
    }

    [Fact]
    public async Task ResponseFormatJson_ProducesValidJson()
    {
        IChatClient client = new LlamaChatClient(fixture.Engine);

        var response = await client.GetResponseAsync(Conversation, new ChatOptions
        {
            Temperature = 0.7f,
            Seed = 1,
            MaxOutputTokens = 200,
            ResponseFormat = ChatResponseFormat.Json,
        });

        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        using var document = System.Text.Json.JsonDocument.Parse(response.Text);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Fact]
    public async Task StopSequences_FromChatOptions_AreApplied()
    {
        IChatClient client = new LlamaChatClient(fixture.Engine);
        var full = await client.GetResponseAsync(Conversation, new ChatOptions { Temperature = 0, MaxOutputTokens = 20 });
        var stop = full.Text.Substring(full.Text.Length / 2, 2);

        var stopped = await client.GetResponseAsync(Conversation, new ChatOptions { Temperature = 0, MaxOutputTokens = 20, StopSequences = [stop] });

        Assert.Equal(full.Text[..full.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
    }
}
