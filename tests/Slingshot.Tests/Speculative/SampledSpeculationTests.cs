namespace Slingshot.Tests.Speculative;

public sealed class SampledSpeculationTests
{
    private static GenerationRequest Sampled(uint seed) => new()
    {
        Prompt = "the cat sat on the mat",
        MaxTokens = 3,
        IgnoreEndOfGeneration = true,
        Sampling = new SamplerSettings { Temperature = 1, TopK = 4, TopP = 1, MinP = 0, Seed = seed },
    };

    [Fact]
    public async Task Sampling_SameSeed_GivesTheSameSample()
    {
        using var draft = LlamaModel.Load(SpeculativeModels.Draft);
        using var engine = SpeculativeModels.Engine(SpeculativeModels.Target, new SpeculativeOptions { DraftModel = draft, DraftMax = 4 });
        var request = Sampled(11) with { MaxTokens = 32 };

        var a = await engine.GenerateAsync(request);
        var b = await engine.GenerateAsync(request);

        Assert.Equal(a.Samples[0].Tokens, b.Samples[0].Tokens);
        Assert.Equal(32, a.Samples[0].Tokens!.Count);
        Assert.NotNull(a.Speculation);
    }

    /// <summary>
    /// The second token is the first one that goes through draft, verification and (with this poor 1-layer draft,
    /// mostly) rejection and resampling. Its distribution over 2000 seeds must match the decode loop's own sampling
    /// of the target: total variation below 0.1, where two samples of this size differ by about 0.04 by chance.
    /// </summary>
    [Fact]
    public async Task Sampling_LayerTruncatedDraft_SecondTokenFollowsTheTargetsDistribution()
    {
        using var plain = SpeculativeModels.Engine(SpeculativeModels.Target);
        using var draft = LlamaModel.Load(SpeculativeModels.Draft);
        using var speculative = SpeculativeModels.Engine(SpeculativeModels.Target,
            new SpeculativeOptions { DraftModel = draft, DraftMax = 1, AdaptiveDraftLength = false });
        const int n = 2000;
        var expected = new Dictionary<int, int>();
        var actual = new Dictionary<int, int>();
        var drafted = 0;

        for (var seed = 1u; seed <= n; seed++)
        {
            var target = await plain.GenerateAsync(Sampled(seed));
            var guessed = await speculative.GenerateAsync(Sampled(seed + 1_000_000));
            Count(expected, target.Samples[0].Tokens![1]);
            Count(actual, guessed.Samples[0].Tokens![1]);
            drafted += guessed.Speculation!.Drafted;
        }

        Assert.True(drafted >= n, "every request should draft at least once");
        var tokens = expected.Keys.Union(actual.Keys);
        var totalVariation = tokens.Sum(t => Math.Abs(expected.GetValueOrDefault(t) - actual.GetValueOrDefault(t)) / (double)n) / 2;
        Assert.True(totalVariation < 0.1, $"total variation {totalVariation:F3}");
    }

    private static void Count(Dictionary<int, int> counts, int token) => counts[token] = counts.GetValueOrDefault(token) + 1;
}
