using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

/// <summary>
/// The prefix cache against the same engine without it, on the generated Q8_0 model (bit-identical logits batched and
/// unbatched): greedy tokens must be equal in every situation the cache changes what is prefilled. Both engines run
/// where llama.cpp's CPU flash attention adds up a query's cells one by one in cell order, whatever their place in the
/// cache: micro-batches under 64 tokens (from 64 it tiles the cells in blocks of 64 cells) and at most 256 cells per
/// sequence stream (a single token over 512 cells or more is split across threads at a cell index). Reuse moves a
/// sequence's cells, as continuous batching does, so the tiled and split kernels round differently with and without it.
/// </summary>
public sealed class PrefixCacheTests
{
    private static readonly string[] Words = ["the", "cat", "sat", "on", "a", "dog", "and", "they", "play", "with", "water", "in", "happy", "little", "girl", "boy", "friend", "said", "hello", "world"];

    /// <summary>Deterministic word salad of <paramref name="count"/> words (about one token each).</summary>
    internal static string Text(int seed, int count)
    {
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, count).Select(_ => Words[random.Next(Words.Length)]));
    }

    private static GenerationRequest Greedy(string prompt, int n = 1, int maxTokens = 12) => new()
    {
        Prompt = prompt,
        MaxTokens = maxTokens,
        SampleCount = n,
        Sampling = SamplerSettings.Greedy,
        IgnoreEndOfGeneration = true,
    };

    private static LlamaEngine Engine(bool cache, int context = 256, int sequences = 4, bool split = false, int? cacheTokens = null, int batch = 32) =>
        LlamaEngine.Load(GeneratedModels.TinyQ8, new EngineOptions
        {
            ContextSize = context,
            MaxSequences = sequences,
            SharedKvCache = !split,
            PrefixCache = cache,
            PrefixCacheTokens = cacheTokens,
            BatchSize = batch,
        });

    /// <summary>Runs the prompts one after the other on both engines and checks every sample's tokens are equal.</summary>
    private static async Task AssertSameTokens(LlamaEngine reference, LlamaEngine cached, IEnumerable<GenerationRequest> requests)
    {
        foreach (var request in requests)
        {
            var expected = await reference.GenerateAsync(request);
            var actual = await cached.GenerateAsync(request);
            Assert.Equal(expected.Samples.Select(s => s.Tokens), actual.Samples.Select(s => s.Tokens));
        }
    }

    [Fact]
    public async Task FewShotPrompts_WithCache_SameTokensAndExemplarsPrefilledOnce()
    {
        using var reference = Engine(cache: false);
        using var cached = Engine(cache: true);
        var exemplars = Text(1, 60);
        var exemplarTokens = cached.Model.Vocabulary.Tokenize(exemplars, addSpecial: true, parseSpecial: true).Length;

        await AssertSameTokens(reference, cached, Enumerable.Range(0, 6).Select(i => Greedy($"{exemplars}\nQ: {Text(100 + i, 8)}\nA:")));

        var stats = cached.Statistics;
        Assert.True(cached.PrefixCache);
        Assert.Equal(6, stats.PrefixCacheLookups);
        Assert.Equal(5, stats.PrefixCacheHits);
        Assert.True(stats.PrefixCacheTokensReused >= 5 * (exemplarTokens - 1), $"{stats.PrefixCacheTokensReused} tokens reused, exemplars are {exemplarTokens}");
        Assert.Equal(0, reference.Statistics.PrefixCacheLookups);
    }

    [Fact]
    public async Task ConcurrentRequestsSharingPrefixes_SameTokensAsWithout()
    {
        // Exactness holds while every sequence's cells stay in the order its tokens came (docs/architecture.md): an
        // eviction's hole can put a later token in a lower cell and change the attention sum's rounding. So the
        // context here holds every prompt and answer without evicting (asserted below); evictions are tested one
        // request at a time in SmallCache_AfterEvictions_SameTokensAsWithout.
        using var reference = Engine(cache: false, context: 384, sequences: 8);
        using var cached = Engine(cache: true, context: 384, sequences: 8);
        var system = Text(2, 16);
        var requests = Enumerable.Range(0, 8).Select(i => Greedy($"{(i % 4 == 0 ? Text(3, 12) : system)} {Text(200 + i, 4)}", maxTokens: 12)).ToArray();
        var expected = new List<IReadOnlyList<int>?>();
        foreach (var request in requests)
        {
            expected.Add((await reference.GenerateAsync(request)).Samples[0].Tokens);
        }

        // Both prefixes cached before the wave, so every request of the wave shares cells with others running beside it.
        await cached.GenerateAsync(requests[0]);
        await cached.GenerateAsync(requests[1]);
        var together = await Task.WhenAll(requests.Select(r => Task.Run(() => cached.GenerateAsync(r))));

        Assert.Equal(0, cached.Statistics.PrefixCacheEvictions);
        Assert.Equal(expected, together.Select(t => t.Samples[0].Tokens));
        Assert.True(cached.Statistics.PrefixCacheHits >= 8, $"{cached.Statistics.PrefixCacheHits} hits");
    }

    [Fact]
    public async Task SmallCache_AfterEvictions_SameTokensAsWithout()
    {
        using var reference = Engine(cache: false);
        using var cached = Engine(cache: true, cacheTokens: 160);
        var prefixes = Enumerable.Range(0, 3).Select(i => Text(10 + i, 25)).ToArray();
        var requests = Enumerable.Range(0, 16).Select(i => Greedy($"{prefixes[i * 5 % 3]} {Text(300 + i, 5)}"));

        await AssertSameTokens(reference, cached, requests);

        Assert.True(cached.Statistics.PrefixCacheEvictions > 0);
        Assert.True(cached.Statistics.PrefixCacheHits > 0);
        Assert.True(cached.Statistics.PrefixCacheTokens <= 160);
    }

    [Fact]
    public async Task ContextFilledWithCachedPrefixes_RequestsEvictThemAndNeverRunOutOfCells()
    {
        // 256 cells: each request reserves about 155, and the cache keeps every cell they leave free, so most
        // admissions must evict; a reservation that was not exact would fail inside llama_decode.
        using var reference = Engine(cache: false);
        using var cached = Engine(cache: true);
        var requests = Enumerable.Range(0, 10).Select(i => Greedy(Text(40 + i % 6, 40) + " " + Text(i, 10), maxTokens: 30)).ToArray();
        var expected = new List<IReadOnlyList<int>>();
        foreach (var request in requests)
        {
            expected.Add((await reference.GenerateAsync(request)).Samples[0].Tokens!);
        }

        var together = await Task.WhenAll(requests.Select(r => Task.Run(() => cached.GenerateAsync(r))));

        Assert.Equal(expected, together.Select(t => t.Samples[0].Tokens));
        Assert.True(cached.Statistics.PrefixCacheEvictions > 0);
        Assert.True(cached.Statistics.PrefixCacheTokens <= 256);
    }

    [Fact]
    public async Task ForkedSamples_OnACachedPrefix_EqualSingleGreedy()
    {
        using var reference = Engine(cache: false);
        using var cached = Engine(cache: true);
        var prompt = Text(5, 50) + " the end";
        var single = await reference.GenerateAsync(Greedy(prompt));
        await cached.GenerateAsync(Greedy(Text(5, 50) + " and more"));

        var forked = await cached.GenerateAsync(Greedy(prompt, n: 4));
        var again = await cached.GenerateAsync(Greedy(prompt, n: 3));

        Assert.All(forked.Samples, s => Assert.Equal(single.Samples[0].Tokens, s.Tokens));
        Assert.All(again.Samples, s => Assert.Equal(single.Samples[0].Tokens, s.Tokens));
        Assert.Equal(2, cached.Statistics.PrefixCacheHits);
    }

    [Fact]
    public async Task NextTurn_StartingWithTheAnswer_ReusesTheAnswerToo()
    {
        using var reference = Engine(cache: false);
        using var cached = Engine(cache: true);
        var turn1 = cached.Model.Vocabulary.Tokenize(Text(6, 60), addSpecial: true, parseSpecial: false);
        var answer = (await cached.GenerateAsync(new GenerationRequest { PromptTokens = turn1, MaxTokens = 10, Sampling = SamplerSettings.Greedy, IgnoreEndOfGeneration = true })).Samples[0].Tokens!;
        int[] turn2 = [.. turn1, .. answer, .. cached.Model.Vocabulary.Tokenize(" hello world", addSpecial: false, parseSpecial: false)];
        var before = cached.Statistics.PrefixCacheTokensReused;

        await AssertSameTokens(reference, cached, [new GenerationRequest { PromptTokens = turn2, MaxTokens = 10, Sampling = SamplerSettings.Greedy, IgnoreEndOfGeneration = true }]);

        // Every token of the first turn's cells: the prompt and the answer but its last token, which was never decoded.
        Assert.Equal(turn1.Length + answer.Count - 1, cached.Statistics.PrefixCacheTokensReused - before);
    }

    [Fact]
    public async Task CancelledDuringPrefill_PrefillDoneSoFarIsCachedAndOutputUnchanged()
    {
        // A 4-token prefill budget makes the long prompt take about forty steps. A short request decodes beside it and
        // paces the test: the long one starts at its first token and is cancelled at its tenth, a few chunks into its
        // prompt. Nothing is evicted afterwards, so every sequence's cells stay in position order (see the class).
        using var reference = Engine(cache: false);
        using var cached = Engine(cache: true, batch: 4);
        var prompt = Text(7, 70);
        var promptTokens = cached.Model.Vocabulary.Tokenize(prompt, addSpecial: true, parseSpecial: true).Length;
        using var cancel = new CancellationTokenSource();
        Task<FinishReason?>? longRequest = null;
        var pacing = 0;
        await foreach (var update in cached.StreamAsync(Greedy("hello", maxTokens: 40)))
        {
            if (update.Token is null)
            {
                continue;
            }
            if (++pacing == 1)
            {
                longRequest = Task.Run(async () =>
                {
                    FinishReason? reason = null;
                    await foreach (var u in cached.StreamAsync(Greedy(prompt), cancel.Token))
                    {
                        reason = u.FinishReason ?? reason;
                    }
                    return reason;
                });
            }
            else if (pacing == 10)
            {
                await cancel.CancelAsync();
            }
        }
        Assert.Equal(FinishReason.Cancelled, await longRequest!);
        var before = cached.Statistics.PrefixCacheTokensReused;

        await AssertSameTokens(reference, cached, [Greedy(prompt)]);

        var reused = cached.Statistics.PrefixCacheTokensReused - before;
        Assert.InRange(reused, 1, promptTokens - 2); // part of the prompt, not all of it
    }

    [Fact]
    public async Task SplitLayout_SharedBeginnings_SameTokensAsWithout()
    {
        using var reference = Engine(cache: false, context: 1024, split: true);
        using var cached = Engine(cache: true, context: 1024, split: true);
        var system = Text(8, 60);
        var requests = Enumerable.Range(0, 8).Select(i => Greedy($"{system} {Text(400 + i, 6)}", n: i % 3 == 2 ? 3 : 1)).ToList();

        await AssertSameTokens(reference, cached, requests);
        var together = await Task.WhenAll(requests.Select(r => Task.Run(() => cached.GenerateAsync(r))));
        var expected = await Task.WhenAll(requests.Select(r => reference.GenerateAsync(r)));

        Assert.Equal(expected.Select(e => e.Samples.Select(s => s.Tokens)), together.Select(t => t.Samples.Select(s => s.Tokens)));
        Assert.Equal(256, cached.SequenceContextSize);
        Assert.Equal(1024, cached.ContextSize);
        Assert.True(cached.Statistics.PrefixCacheHits >= 7, $"{cached.Statistics.PrefixCacheHits} hits");
    }

    [Fact]
    public async Task SplitLayout_PromptReusingCachedPrefixUpToTheShare_SameTokensAndLongerPromptsRejected()
    {
        using var reference = Engine(cache: false, context: 1024, split: true);
        using var cached = Engine(cache: true, context: 1024, split: true);
        var vocabulary = cached.Model.Vocabulary;
        var first = vocabulary.Tokenize(Text(9, 70), addSpecial: true, parseSpecial: false);
        var answer = (await cached.GenerateAsync(new GenerationRequest { PromptTokens = first, MaxTokens = 40, Sampling = SamplerSettings.Greedy, IgnoreEndOfGeneration = true })).Samples[0].Tokens!;
        int[] next = [.. first, .. answer.Take(39), .. vocabulary.Tokenize(" the cat", addSpecial: false, parseSpecial: false)];

        await AssertSameTokens(reference, cached, [new GenerationRequest { PromptTokens = next, MaxTokens = 256 - next.Length, Sampling = SamplerSettings.Greedy, IgnoreEndOfGeneration = true }]);
        await Assert.ThrowsAsync<ContextLengthExceededException>(() => cached.GenerateAsync(new GenerationRequest { PromptTokens = [.. next, .. next], MaxTokens = 1 }));

        Assert.True(cached.Statistics.PrefixCacheTokensReused >= first.Length + 38);
    }

    [Fact]
    public async Task PromptLongerThanTheCacheLimit_IsNotKeptAndOutputUnchanged()
    {
        using var reference = Engine(cache: false);
        using var cached = Engine(cache: true, cacheTokens: 40);
        var prompt = Text(12, 40);

        await AssertSameTokens(reference, cached, [Greedy(prompt), Greedy(prompt)]);

        Assert.Equal(0, cached.Statistics.PrefixCacheHits);
        Assert.Equal(0, cached.Statistics.PrefixCacheTokens);
    }

    [Fact]
    public async Task SharedLayout_DefaultSize_KeepsAsManyPromptsAsSequencesAndOutputUnchanged()
    {
        // Room for all six prompts and their answers (about 30 cells each): without a bound the cache keeps every one
        // and widens the attention view with cells no request reads.
        using var reference = Engine(cache: false, sequences: 2);
        using var cached = Engine(cache: true, sequences: 2);
        var prompts = Enumerable.Range(0, 6).Select(i => Text(500 + i, 8)).ToArray();

        await AssertSameTokens(reference, cached, prompts.Select(p => Greedy(p)));
        var (evictions, kept, reused) = (cached.Statistics.PrefixCacheEvictions, cached.Statistics.PrefixCacheTokens, cached.Statistics.PrefixCacheTokensReused);
        var last = cached.Model.Vocabulary.Tokenize(prompts[^1], addSpecial: true, parseSpecial: true).Length;
        await AssertSameTokens(reference, cached, [Greedy(prompts[^1] + " dog")]);

        // Two prompts and their 11 decoded answer tokens each; the most recent one is among them.
        Assert.True(evictions >= 4, $"{evictions} evictions");
        Assert.InRange(kept, 2 * (8 + 11), 2 * (3 * 8 + 11));
        Assert.True(cached.Statistics.PrefixCacheTokensReused - reused >= last - 1);
    }

    [Fact]
    public async Task NextTokenLogprobs_OnACachedPrefix_EqualWithout()
    {
        using var reference = Engine(cache: false);
        using var cached = Engine(cache: true);
        var prompt = Text(13, 70);
        await cached.GenerateAsync(Greedy(prompt + " cat"));

        var expected = await reference.GetNextTokenLogprobsAsync(new GenerationRequest { Prompt = prompt + " dog" });
        var actual = await cached.GetNextTokenLogprobsAsync(new GenerationRequest { Prompt = prompt + " dog" });

        Assert.Equal(expected, actual);
        Assert.Equal(1, cached.Statistics.PrefixCacheHits);
    }

    [Fact]
    public void Options_Default_OnForQuantizedWeightsOffForF32UnlessAskedFor()
    {
        using var quantized = LlamaEngine.Load(GeneratedModels.TinyQ8, new EngineOptions { ContextSize = 256, MaxSequences = 2 });
        using var f32 = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 256, MaxSequences = 2 });
        using var f32On = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 256, MaxSequences = 2, PrefixCache = true });

        Assert.True(quantized.PrefixCache);
        Assert.False(f32.PrefixCache);
        Assert.True(f32On.PrefixCache);
    }

    [Fact]
    public void Options_Off_NoCacheAndNegativeSizeRejected()
    {
        using var engine = Engine(cache: false);

        Assert.False(engine.PrefixCache);
        Assert.Throws<ArgumentException>(() => new EngineOptions { PrefixCacheTokens = -1 }.Validate());
    }
}
