using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using Slingshot.Server.Tests.Support;

namespace Slingshot.Server.Tests.Clients;

/// <summary>The .NET OpenAI client behind Microsoft.Extensions.AI's IChatClient, pointed at the server.</summary>
public sealed class DotNetOpenAiClientTests(DefaultServerFixture server) : IClassFixture<DefaultServerFixture>
{
    private IChatClient Client(string model = ServerFixture.Model) =>
        new OpenAI.Chat.ChatClient(model, new ApiKeyCredential("k"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseUrl + "/v1") })
            .AsIChatClient();

    private static ChatOptions Options => new() { MaxOutputTokens = 8, Temperature = 0.8f };

    [Fact]
    public async Task GetResponseAsync_LocalModel_TextAndUsage()
    {
        using var client = Client();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, "Tell a story."), new ChatMessage(ChatRole.User, "Once upon a time")], Options);

        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.Equal(ChatRole.Assistant, response.Messages[^1].Role);
        Assert.Equal(ServerFixture.Model, response.ModelId);
        Assert.StartsWith("chatcmpl-", response.ResponseId, StringComparison.Ordinal);
        Assert.NotNull(response.FinishReason);
        Assert.NotNull(response.Usage);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.InRange(response.Usage.OutputTokenCount ?? 0, 1, 8);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_LocalModel_UpdatesAddUpWithUsage()
    {
        using var client = Client();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Once upon a time", Options))
        {
            updates.Add(update);
        }
        var response = updates.ToChatResponse();

        Assert.True(updates.Count >= 3);
        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.NotNull(response.FinishReason);
        Assert.NotNull(response.Usage);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.InRange(response.Usage.OutputTokenCount ?? 0, 1, 8);
        await Metrics.WaitForIdleAsync(server.Http);
    }

    [Fact]
    public async Task GetResponseAsync_UnknownModel_ClientResultException404()
    {
        using var client = Client("no-such-model");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("Hi", Options));

        Assert.Equal(404, error.Status);
        Assert.Contains("no-such-model", error.Message, StringComparison.Ordinal);
    }
}
