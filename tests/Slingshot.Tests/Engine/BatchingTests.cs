using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

public sealed class BatchingTests(TinyEngineFixture fixture) : IClassFixture<TinyEngineFixture>
{
    private static GenerationRequest Greedy(string prompt, int n = 1) => new()
    {
        Prompt = prompt,
        MaxTokens = 16,
        SampleCount = n,
        Sampling = SamplerSettings.Greedy,
    };

    [Fact]
    public async Task ForkedGreedy_EightSamples_EqualSingleSequenceGreedy()
    {
        var single = await fixture.Engine.GenerateAsync(Greedy("the quick brown fox"));
        var batched = await fixture.Engine.GenerateAsync(Greedy("the quick brown fox", n: 8));

        Assert.Equal(8, batched.Samples.Count);
        Assert.All(batched.Samples, s => Assert.Equal(single.Samples[0].Tokens, s.Tokens));
    }

    [Fact]
    public async Task Concurrent_RequestsFromManyThreads_MatchSameRequestsRunAlone()
    {
        string[] prompts = ["hello world", "the cat sat", "one two three", "a b c d e", "good morning"];
        var alone = new List<IReadOnlyList<int>>();
        foreach (var prompt in prompts)
        {
            alone.Add((await fixture.Engine.GenerateAsync(Greedy(prompt))).Samples[0].Tokens!);
        }

        var together = await Task.WhenAll(prompts.Select(p => Task.Run(() => fixture.Engine.GenerateAsync(Greedy(p)))));

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(alone[i], together[i].Samples[0].Tokens);
        }
    }

    [Fact]
    public async Task LongPrompt_LongerThanBatch_IsPrefilledInChunks()
    {
        using var engine = LlamaEngine.Load(GeneratedModels.TinyQ8, new EngineOptions { ContextSize = 512, MaxSequences = 2, BatchSize = 16 });
        var prompt = string.Join(' ', Enumerable.Repeat("the quick brown fox jumps", 12));
        var reference = await fixture.Engine.GenerateAsync(Greedy(prompt));

        var chunked = await engine.GenerateAsync(Greedy(prompt));

        Assert.True(chunked.Usage.PromptTokens > 16);
        Assert.Equal(reference.Samples[0].Tokens, chunked.Samples[0].Tokens);
    }
}
