using Microsoft.Extensions.AI;
using Slingshot.Gguf;
using Slingshot.Strategies.Ensembles;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Tests.Middleware;

namespace Slingshot.Strategies.Tests.Ensembles;

/// <summary>stories260K and a generated tiny model (its own vocabulary and ChatML template) as one ensemble.</summary>
public sealed class EnsembleModelsFixture : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slingshot-ensemble-").FullName;

    public EnsembleModelsFixture()
    {
        var tinyPath = Path.Combine(_folder, "tiny.gguf");
        RandomModelWriter.Write(tinyPath, LlamaShape.Parse("tiny"), new RandomModelOptions { Seed = 5 });
        Tiny = LlamaEngine.Load(tinyPath, new EngineOptions { ContextSize = 512, MaxSequences = 4, Threads = 1 });
        TinyClient = new LlamaChatClient(Tiny, new LlamaChatClientOptions { ModelId = "tiny" });
    }

    public LlamaEngine Tiny { get; }

    public LlamaChatClient TinyClient { get; }

    public void Dispose()
    {
        Tiny.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class EnsembleSampleSourceTests(StoriesChatFixture stories, EnsembleModelsFixture models)
    : IClassFixture<StoriesChatFixture>, IClassFixture<EnsembleModelsFixture>
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Once upon a time")];

    private static ChatOptions Sampled(long seed) => new() { Temperature = 1, Seed = seed, MaxOutputTokens = 12 };

    private static EnsembleMember Fake(string name, double weight = 1) => new(name, new FakeChatClient(), weight);

    [Theory]
    [InlineData(8, new[] { 1.0, 1, 1 }, new[] { 3, 3, 2 })]
    [InlineData(3, new[] { 2.0, 1 }, new[] { 2, 1 })]
    [InlineData(1, new[] { 1.0, 1, 1 }, new[] { 1, 0, 0 })]
    [InlineData(10, new[] { 1.0, 3 }, new[] { 3, 7 })]
    public void Shares_Weights_SplitTheSamplesAndAddUpToK(int count, double[] weights, int[] expected)
    {
        var source = new EnsembleSampleSource(weights.Select((w, i) => Fake($"m{i}", w)));

        Assert.Equal(expected, source.Shares(count));
        Assert.Equal("m0", source.MemberOf(0, count).Name);
    }

    [Fact]
    public void Constructor_BadMembers_ThrowOneLineErrors()
    {
        Assert.Throws<ArgumentException>(() => new EnsembleSampleSource([]));
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => new EnsembleSampleSource([Fake("a"), Fake("a")])).Message);
        Assert.Contains("positive weight", Assert.Throws<ArgumentException>(() => new EnsembleSampleSource([Fake("a", 0)])).Message);
    }

    [Fact]
    public async Task SampleAsync_TwoLocalModels_EachDrawsItsShareWithDistinctSeeds()
    {
        var source = new EnsembleSampleSource([new EnsembleMember("stories", stories.Client), new EnsembleMember("tiny", models.TinyClient)]);

        var result = await source.SampleAsync(SampleRequest.Chat(Prompt, 5, Sampled(10), topLogprobs: 0));

        // The same draws made from each member alone: stories takes seeds 10..12, tiny 13..14.
        var fromStories = await stories.Client.SampleAsync(SampleRequest.Chat(Prompt, 3, Sampled(10), topLogprobs: 0));
        var fromTiny = await models.TinyClient.SampleAsync(SampleRequest.Chat(Prompt, 2, Sampled(13), topLogprobs: 0));
        Assert.Equal([0, 1, 2, 3, 4], result.Samples.Select(s => s.Index));
        Assert.Equal([10L, 11, 12, 13, 14], result.Samples.Select(s => s.Seed!.Value));
        Assert.Equal(fromStories.Samples.Concat(fromTiny.Samples).Select(s => s.Text), result.Samples.Select(s => s.Text));
        Assert.Equal(fromStories.Usage.PromptTokens + fromTiny.Usage.PromptTokens, result.Usage.PromptTokens);
        Assert.Equal(result.Samples.Sum(s => s.Tokens!.Count), result.Usage.CompletionTokens);
        Assert.All(result.Samples, s => Assert.NotNull(s.MeanLogprob));
        Assert.Equal("tiny", source.MemberOf(3, 5).Name);
    }

    [Fact]
    public async Task SampleAsync_RemoteStyleMember_CallsOncePerSampleWithItsSeeds()
    {
        var calls = new List<ChatOptions?>();
        var remote = FakeChatClient.ScriptedBySeed(["r0", "r1", "r2", "r3"], calls, baseSeed: 102);
        var source = new EnsembleSampleSource([new EnsembleMember("stories", stories.Client), new EnsembleMember("remote", remote)]);

        var result = await source.SampleAsync(SampleRequest.Chat(Prompt, 4, Sampled(100)));

        Assert.Equal(["r0", "r1"], result.Samples.Skip(2).Select(s => s.Text));
        Assert.Equal([102L, 103], calls.Select(c => c!.Seed!.Value).Order());
        Assert.Equal(2, result.Samples.Take(2).Count(s => s.Tokens is { Count: > 0 }));
        Assert.All(result.Samples.Skip(2), s => Assert.Null(s.Tokens)); // a chat client has no token ids
        Assert.Equal([102L, 103], result.Samples.Skip(2).Select(s => s.Seed!.Value));
    }

    [Fact]
    public async Task SampleAsync_OneMemberFails_CancelsTheOthersAndFails()
    {
        var slowCancelled = new TaskCompletionSource<bool>();
        var slow = new FakeChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), ct);
                }
                catch (OperationCanceledException)
                {
                    slowCancelled.TrySetResult(true);
                    throw;
                }
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, "late"));
            },
        };
        var broken = new FakeChatClient { GetResponseAsyncCallback = (_, _, _) => throw new HttpRequestException("endpoint down") };
        var source = new EnsembleSampleSource([new EnsembleMember("slow", slow), new EnsembleMember("broken", broken)]);

        await Assert.ThrowsAsync<HttpRequestException>(() => source.SampleAsync(SampleRequest.Chat(Prompt, 2, Sampled(1))));

        Assert.True(await slowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task MajorityVote_OverEnsemble_VotesOnAllMembersSamples()
    {
        var vote = new[] { new EnsembleMember("stories", stories.Client), new EnsembleMember("tiny", models.TinyClient) }
            .AsEnsembleVote(new FirstWordExtractor(), count: 6);

        var response = await vote.GetResponseAsync(Prompt, Sampled(1));

        var outcome = response.GetStrategyOutcome()!;
        var candidates = outcome.Candidates;
        Assert.Equal(6, candidates.Count);
        var voters = outcome.Voters;
        Assert.Equal(candidates.Count(c => !string.IsNullOrWhiteSpace(c.Text)), voters);
    }

    [Fact]
    public async Task ChatClient_OneReply_ComesFromTheFirstMemberAndExposesTheSource()
    {
        using var client = new EnsembleChatClient([new EnsembleMember("stories", stories.Client), new EnsembleMember("tiny", models.TinyClient)]);

        var reply = await client.GetResponseAsync(Prompt, Sampled(3));
        var alone = await stories.Client.GetResponseAsync(Prompt, Sampled(3));

        Assert.Equal(alone.Text, reply.Text);
        Assert.Same(client.Source, client.GetService<ISampleSource>());
        Assert.Equal("ensemble(stories,tiny)", client.GetService<ChatClientMetadata>()!.DefaultModelId);
    }
}
