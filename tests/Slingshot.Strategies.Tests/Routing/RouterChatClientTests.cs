using Microsoft.Extensions.AI;
using Slingshot.Embeddings;
using Slingshot.Strategies.Routing;
using Slingshot.Strategies.Tests.Middleware;

namespace Slingshot.Strategies.Tests.Routing;

public sealed class RouterChatClientTests
{
    /// <summary>A router that sends prompts longer than <paramref name="characters"/> to the large tier (a steep weight on log length).</summary>
    internal static RouterFile LengthRouter(int characters)
    {
        var features = new PromptFeatureOptions { HashBits = 0, Shape = true };
        var weights = new float[features.Dimensions];
        weights[0] = 100; // feature 0 is log(1 + characters) / 10
        return new RouterFile { Features = features, Weights = weights, Bias = -100 * Math.Log(1 + characters + 0.5) / 10, Threshold = 0.5 };
    }

    private static FakeChatClient Answering(string text, List<string> calls) => new()
    {
        GetResponseAsyncCallback = (_, _, _) =>
        {
            calls.Add(text);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { ModelId = text });
        },
    };

    [Theory]
    [InlineData("Hi", "small")]
    [InlineData("Explain the proof of the prime number theorem in detail, please.", "large")]
    public async Task GetResponse_RoutesByScore_CallsOnlyThatTierAndReportsRoute(string prompt, string expected)
    {
        var calls = new List<string>();
        using var client = new ChatClientBuilder(Answering("small", calls))
            .UseRouter(Answering("large", calls), new PromptRouter(LengthRouter(20)))
            .Build();

        var response = await client.GetResponseAsync(prompt);

        Assert.Equal(expected, response.Text);
        Assert.Equal([expected], calls);
        var outcome = response.GetStrategyOutcome()!;
        Assert.Equal(expected, outcome.Route);
        var score = Assert.IsType<double>(outcome.RouterScore);
        Assert.Equal(expected == "large", score >= 0.5);
        Assert.Contains("threshold 0.5", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_ReadsOnlyUserMessages()
    {
        var calls = new List<string>();
        using var client = new RouterChatClient(Answering("small", calls), Answering("large", calls), new PromptRouter(LengthRouter(20)));
        var messages = new[]
        {
            new ChatMessage(ChatRole.System, "You are a helpful assistant who answers every question carefully and at length."),
            new ChatMessage(ChatRole.User, "Hi"),
        };

        var response = await client.GetResponseAsync(messages);

        Assert.Equal("small", response.Text);
    }

    [Fact]
    public async Task GetStreamingResponse_FirstUpdateCarriesRoute()
    {
        var calls = new List<string>();
        using var client = new RouterChatClient(Answering("small", calls), Answering("large", calls), new PromptRouter(LengthRouter(20), threshold: 0));

        var updates = await client.GetStreamingResponseAsync("Hi").ToListAsync();

        Assert.Equal("large", updates.ToChatResponse().Text);
        Assert.Equal("large", updates[0].GetStrategyOutcome()!.Route);
    }

    [Fact]
    public void Constructor_EmbeddingRouterWithoutGenerator_Throws()
    {
        var router = new PromptRouter(new RouterFile
        {
            Features = new PromptFeatureOptions { HashBits = 0, EmbeddingModel = "m.gguf", EmbeddingDimensions = 8 },
            Weights = new float[PromptShape.Count + 8],
        });

        var ex = Assert.Throws<ArgumentException>(() => new RouterChatClient(new FakeChatClient(), new FakeChatClient(), router));

        Assert.Contains("embedding generator", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_EmbeddingRouterOverRealModel_ScoresTheModelsEmbedding()
    {
        using var embeddings = LlamaEmbeddingGenerator.Load(TestPaths.Stories260K, new LlamaEmbeddingOptions { Threads = 1 });
        var features = new PromptFeatureOptions { HashBits = 0, Shape = false, EmbeddingModel = TestPaths.Stories260K, EmbeddingDimensions = embeddings.Dimensions };
        var weights = Enumerable.Range(0, features.Dimensions).Select(i => (float)Math.Sin(i)).ToArray();
        var router = new PromptRouter(new RouterFile { Features = features, Weights = weights, Threshold = 0.5 });
        var calls = new List<string>();
        using var client = new RouterChatClient(Answering("small", calls), Answering("large", calls), router, embeddings);
        const string Prompt = "Once upon a time there was a little cat.";

        var response = await client.GetResponseAsync(Prompt);

        var expected = router.Score(Prompt, (await embeddings.GenerateAsync([Prompt]))[0].Vector.Span);
        Assert.Equal(expected, response.GetStrategyOutcome()!.RouterScore!.Value, 6);
        Assert.Equal(expected >= 0.5 ? "large" : "small", response.Text);
    }
}
