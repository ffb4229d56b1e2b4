using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

/// <summary>The engine with one KV stream per sequence: forks copy the prompt between streams.</summary>
public sealed class SplitKvCacheTests
{
    private static GenerationRequest Greedy(string prompt, int n = 1, int maxTokens = 16) => new()
    {
        Prompt = prompt,
        MaxTokens = maxTokens,
        SampleCount = n,
        Sampling = SamplerSettings.Greedy,
    };

    [Fact]
    public async Task ForkedGreedy_SplitCache_EqualsSharedCacheAndSingleSequence()
    {
        using var shared = LlamaEngine.Load(GeneratedModels.TinyQ8, new EngineOptions { ContextSize = 512, MaxSequences = 4 });
        using var split = LlamaEngine.Load(GeneratedModels.TinyQ8, new EngineOptions { ContextSize = 1024, MaxSequences = 4, SharedKvCache = false });

        var reference = await shared.GenerateAsync(Greedy("the quick brown fox"));
        var forked = await split.GenerateAsync(Greedy("the quick brown fox", n: 4));
        var again = await split.GenerateAsync(Greedy("the quick brown fox", n: 3));

        Assert.False(split.SharedKvCache);
        Assert.Equal(256, split.SequenceContextSize);
        Assert.All(forked.Samples, s => Assert.Equal(reference.Samples[0].Tokens, s.Tokens));
        Assert.All(again.Samples, s => Assert.Equal(reference.Samples[0].Tokens, s.Tokens));
    }

    [Fact]
    public async Task Golden_SplitCache_StillMatches()
    {
        using var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 1024, MaxSequences = 4, SharedKvCache = false });

        var result = await engine.GenerateAsync(Greedy("Once upon a time", n: 3, maxTokens: 10));

        Assert.All(result.Samples, s => Assert.Equal(", there was a little girl named Lily", s.Text));
    }

    [Fact]
    public async Task SplitCache_DefaultMaxTokens_FillTheSequenceShare()
    {
        using var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 1024, MaxSequences = 4, SharedKvCache = false });

        var result = await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", SampleCount = 2, Sampling = SamplerSettings.Greedy, IgnoreEndOfGeneration = true });

        Assert.All(result.Samples, s => Assert.Equal(engine.SequenceContextSize - result.Usage.PromptTokens, s.Tokens!.Count));
    }

    [Fact]
    public async Task SplitCache_PromptLongerThanShare_ThrowsContextLengthExceeded()
    {
        using var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 1024, MaxSequences = 4, SharedKvCache = false });
        var prompt = string.Join(' ', Enumerable.Repeat("Once upon a time", 80));

        var error = await Assert.ThrowsAsync<ContextLengthExceededException>(() => engine.GenerateAsync(Greedy(prompt)));

        Assert.Contains("each sequence's share", error.Message);
    }
}
