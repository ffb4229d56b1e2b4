using Slingshot.Gguf;
using Slingshot.Generation.ProxyTuning;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.ProxyTuning;

public sealed class ProxyTunedGeneratorTests(ProxyModels models) : IClassFixture<ProxyModels>
{
    private const string Prompt = "once upon a time the little girl";

    private static GenerationRequest Greedy(int maxTokens = 12) => new()
    {
        Prompt = Prompt,
        MaxTokens = maxTokens,
        IgnoreEndOfGeneration = true,
        Sampling = SamplerSettings.Greedy,
    };

    [Fact]
    public async Task CombinedDistribution_EveryStep_EqualsCombinationOfEachModelReadSeparately()
    {
        const float alpha = 0.7f;
        using var generator = new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallTuned, ProxyModels.Options(alpha, record: true));
        var result = await generator.GenerateAsync(Greedy(6));

        // Each model on its own engine, reading prompt + the tokens generated so far in one request.
        var engines = new[] { models.LargeBase, models.SmallBase, models.SmallTuned }
            .Select(m => new LlamaEngine(m, new EngineOptions { ContextSize = 512, MaxSequences = 1, Threads = 1 })).ToArray();
        try
        {
            var prompt = models.LargeBase.Vocabulary.Tokenize(Prompt);
            Assert.Equal(6, result.Sample.Tokens!.Count);
            Assert.Equal(6, result.StepLogprobs.Count);
            for (var step = 0; step < result.StepLogprobs.Count; step++)
            {
                var request = new GenerationRequest { PromptTokens = [.. prompt, .. result.Sample.Tokens.Take(step)] };
                var large = await engines[0].GetNextTokenLogprobsAsync(request);
                var small = await engines[1].GetNextTokenLogprobsAsync(request);
                var tuned = await engines[2].GetNextTokenLogprobsAsync(request);
                var raw = Enumerable.Range(0, large.Length).Select(i => large[i] + alpha * ((double)tuned[i] - small[i])).ToArray();
                var logZ = Math.Log(raw.Sum(Math.Exp));

                var recorded = result.StepLogprobs[step];
                var worst = Enumerable.Range(0, raw.Length).Max(i => Math.Abs(raw[i] - logZ - recorded[i]));
                Assert.True(worst < 1e-3, $"step {step}: combined distribution differs by {worst}");
                // Greedy: the token taken at this step is the combination's most likely one.
                Assert.Equal(Array.IndexOf(recorded, recorded.Max()), result.Sample.Tokens[step]);
            }
        }
        finally
        {
            Array.ForEach(engines, e => e.Dispose());
        }
    }

    [Fact]
    public async Task AlphaZero_Greedy_ReproducesLargeBaseTokenForToken()
    {
        using var generator = new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallTuned, ProxyModels.Options(0f));
        using var engine = new LlamaEngine(models.LargeBase, new EngineOptions { ContextSize = 512, MaxSequences = 1, Threads = 1 });

        var proxied = await generator.GenerateAsync(Greedy(16));
        var alone = await engine.GenerateAsync(Greedy(16));

        Assert.Equal(alone.Samples[0].Tokens, proxied.Sample.Tokens);
        Assert.Equal(alone.Samples[0].Text, proxied.Sample.Text);
    }

    [Fact]
    public async Task TunedEqualToBase_AlphaOne_ChangesNothing()
    {
        using var identical = new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallBase, ProxyModels.Options(1f));
        using var unsteered = new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallTuned, ProxyModels.Options(0f));

        var a = await identical.GenerateAsync(Greedy(16));
        var b = await unsteered.GenerateAsync(Greedy(16));

        Assert.Equal(b.Sample.Tokens, a.Sample.Tokens);
    }

    [Fact]
    public async Task WeightDifference_AlphaOne_MovesTheOutput()
    {
        using var steered = new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallTuned, ProxyModels.Options(1f));
        using var unsteered = new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallTuned, ProxyModels.Options(0f));

        var a = await steered.GenerateAsync(Greedy(16));
        var b = await unsteered.GenerateAsync(Greedy(16));

        Assert.NotEqual(b.Sample.Tokens, a.Sample.Tokens);
    }

    [Fact]
    public async Task LoraOverSmallBase_AlphaOne_MovesTheOutputAndMatchesAnEngineWithTheSameAdapter()
    {
        using var lora = models.SmallBase.LoadLoraAdapter(GeneratedModels.TinyLora());
        var options = ProxyModels.Options(1f, record: true) with { TunedLoraAdapters = [(lora, 4f)] };
        using var steered = new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallBase, options);
        using var unsteered = new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallBase, ProxyModels.Options(1f));

        var a = await steered.GenerateAsync(Greedy(16));
        var b = await unsteered.GenerateAsync(Greedy(16));

        Assert.NotEqual(b.Sample.Tokens, a.Sample.Tokens);
        // The first step by hand: the tuned distribution is the small base's engine with the adapter applied.
        using var large = new LlamaEngine(models.LargeBase, new EngineOptions { ContextSize = 512, MaxSequences = 1, Threads = 1 });
        using var small = new LlamaEngine(models.SmallBase, new EngineOptions { ContextSize = 512, MaxSequences = 1, Threads = 1 });
        using var tuned = new LlamaEngine(models.SmallBase, new EngineOptions { ContextSize = 512, MaxSequences = 1, Threads = 1, LoraAdapters = [(lora, 4f)] });
        var request = new GenerationRequest { Prompt = Prompt };
        var (l, s, t) = (await large.GetNextTokenLogprobsAsync(request), await small.GetNextTokenLogprobsAsync(request), await tuned.GetNextTokenLogprobsAsync(request));
        var raw = Enumerable.Range(0, l.Length).Select(i => l[i] + ((double)t[i] - s[i])).ToArray();
        var logZ = Math.Log(raw.Sum(Math.Exp));
        Assert.True(Enumerable.Range(0, raw.Length).Max(i => Math.Abs(raw[i] - logZ - a.StepLogprobs[0][i])) < 1e-3);
    }

    [Fact]
    public void LoraOfAnotherModel_Constructor_Throws()
    {
        using var lora = models.SmallTuned.LoadLoraAdapter(GeneratedModels.TinyLora());

        Assert.Throws<ArgumentException>(() => new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallBase,
            ProxyModels.Options(1f) with { TunedLoraAdapters = [(lora, 1f)] }));
    }

    [Fact]
    public async Task Sampling_SameSeed_GivesSameTokens_OtherSeedDiffers()
    {
        using var generator = new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallTuned, ProxyModels.Options(1f));
        GenerationRequest Sampled(uint seed) => Greedy(24) with { Sampling = new SamplerSettings { Temperature = 1.5f, TopK = 0, TopP = 1, MinP = 0, Seed = seed } };

        var a = await generator.GenerateAsync(Sampled(7));
        var b = await generator.GenerateAsync(Sampled(7));
        var c = await generator.GenerateAsync(Sampled(8));

        Assert.Equal(a.Sample.Tokens, b.Sample.Tokens);
        Assert.NotEqual(a.Sample.Tokens, c.Sample.Tokens);
        Assert.Equal(7u, a.Sample.Seed);
    }

    [Fact]
    public async Task StopSequenceAndLimit_AreHonoured()
    {
        using var generator = new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallTuned, ProxyModels.Options(1f));

        var limited = await generator.GenerateAsync(Greedy(5));

        Assert.Equal(FinishReason.Length, limited.Sample.FinishReason);
        Assert.Equal(5, limited.Sample.Tokens!.Count);
        Assert.Equal(5, limited.Result.Usage.CompletionTokens);
    }

    [Fact]
    public void DifferentVocabulary_Constructor_ThrowsOneLineError()
    {
        using var other = LlamaModel.Load(GeneratedModels.Get("small", GgmlType.Q8_0));

        var error = Assert.Throws<SlingshotException>(() =>
            new ProxyTunedGenerator(models.LargeBase, other, models.SmallTuned, ProxyModels.Options(1f)));

        Assert.Contains("share one vocabulary", error.Message);
        Assert.Contains("512 and 4096 tokens", error.Message);
    }

    [Fact]
    public async Task SeveralSamples_Request_IsRejected()
    {
        using var generator = new ProxyTunedGenerator(models.LargeBase, models.SmallBase, models.SmallTuned, ProxyModels.Options(1f));

        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(Greedy() with { SampleCount = 2 }));
    }
}
