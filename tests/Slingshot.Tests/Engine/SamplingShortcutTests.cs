using Slingshot.Generation;
using Slingshot.Gguf;
using Slingshot.Native.Interop;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

/// <summary>
/// The decode loop's sampling shortcuts (a vectorized argmax for greedy, the k best candidates for a chain that
/// starts with top-k) must pick exactly the tokens llama.cpp's chain picks from the whole vocabulary.
/// </summary>
public sealed class SamplingShortcutTests
{
    [Theory]
    [InlineData(1, 50)]
    [InlineData(40, 50)]
    [InlineData(40, 4096)]
    [InlineData(128, 32000)]
    [InlineData(64, 64)]
    public void TopKSelection_LogitsWithTies_AreTheKBestHighestFirstTiesInTokenOrder(int k, int vocabulary)
    {
        var random = new Random(k * 31 + vocabulary);
        var candidates = new LlamaTokenData[vocabulary];
        for (var trial = 0; trial < 50; trial++)
        {
            // A coarse grid makes ties common, including at the k-th place.
            var logits = Enumerable.Range(0, vocabulary).Select(_ => MathF.Round((float)random.NextDouble() * 20 - 10)).ToArray();

            var count = TopKSelection.Select(logits, k, candidates);

            var expected = logits.Select((logit, id) => (logit, id)).OrderByDescending(c => c.logit).ThenBy(c => c.id).Take(k).ToArray();
            Assert.Equal(expected.Length, count);
            Assert.Equal(expected.Select(c => c.id), candidates.Take(count).Select(c => c.Id.Value));
            Assert.Equal(expected.Select(c => c.logit), candidates.Take(count).Select(c => c.Logit));
        }
    }

    [Theory]
    [InlineData(0f, 40)]    // greedy: argmax
    [InlineData(0.8f, 40)]  // top-k 40 preselected, then top-p, min-p, temperature, draw
    [InlineData(1.2f, 5)]
    [InlineData(0.8f, 0)]   // no top-k: the whole vocabulary either way
    public async Task Generation_WithAndWithoutShortcuts_SameTokensForTheSameSeeds(float temperature, int topK)
    {
        // Q8_0 gives bit-identical logits however a step is batched; "small" has a 4096-token vocabulary.
        var path = GeneratedModels.Get("small", GgmlType.Q8_0);
        using var fast = LlamaEngine.Load(path, new EngineOptions { ContextSize = 1024, MaxSequences = 4, Threads = 1 });
        using var full = LlamaEngine.Load(path, new EngineOptions { ContextSize = 1024, MaxSequences = 4, Threads = 1, SamplingShortcuts = false });
        var request = new GenerationRequest
        {
            PromptTokens = [1, 20, 300, 4000],
            MaxTokens = 48,
            SampleCount = 4,
            IgnoreEndOfGeneration = true,
            Sampling = new SamplerSettings { Temperature = temperature, TopK = topK, TopP = 0.9f, MinP = 0.02f, Seed = 7 },
        };

        var a = await fast.GenerateAsync(request);
        var b = await full.GenerateAsync(request);

        Assert.Equal(4, a.Samples.Count);
        Assert.All(a.Samples, s => Assert.Equal(48, s.Tokens!.Count));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(b.Samples[i].Tokens, a.Samples[i].Tokens);
        }
        if (temperature > 0)
        {
            // The samples differ from each other, so the check above compared draws, not one repeated answer.
            Assert.True(a.Samples.Select(s => string.Join(",", s.Tokens!)).Distinct().Count() > 1);
        }
    }
}
