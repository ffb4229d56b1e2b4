using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

public sealed class SamplingTests(StoriesEngineFixture fixture) : IClassFixture<StoriesEngineFixture>
{
    private static GenerationRequest Sampled(uint seed, int n = 4) => new()
    {
        Prompt = "Once upon a time",
        MaxTokens = 24,
        SampleCount = n,
        Sampling = new SamplerSettings { Temperature = 1.0f, TopK = 0, TopP = 1, MinP = 0, Seed = seed },
    };

    [Fact]
    public async Task Seed_Same_GivesSameSamples()
    {
        var a = await fixture.Engine.GenerateAsync(Sampled(42));
        var b = await fixture.Engine.GenerateAsync(Sampled(42));

        Assert.Equal(a.Samples.Select(s => s.Text), b.Samples.Select(s => s.Text));
    }

    [Fact]
    public async Task Seed_Different_GivesDifferentSamples()
    {
        var a = await fixture.Engine.GenerateAsync(Sampled(1));
        var b = await fixture.Engine.GenerateAsync(Sampled(2));

        Assert.NotEqual(a.Samples.Select(s => s.Text), b.Samples.Select(s => s.Text));
    }

    [Fact]
    public async Task ForkedSamples_WithTemperature_DifferFromEachOther()
    {
        var result = await fixture.Engine.GenerateAsync(Sampled(7, n: 8));

        Assert.Equal(8, result.Samples.Count);
        Assert.True(result.Samples.Select(s => s.Text).Distinct().Count() > 1);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long?)(7u + (uint)i)), result.Samples.Select(s => s.Seed));
        Assert.All(result.Samples, s => Assert.Equal(s.Tokens!.Count, s.Usage!.Value.CompletionTokens));
        Assert.Equal(result.Usage.CompletionTokens, result.Samples.Sum(s => s.Usage!.Value.CompletionTokens));
        // The prompt is decoded once, however many samples.
        Assert.Equal(fixture.Engine.Model.Vocabulary.Tokenize("Once upon a time").Length, result.Usage.PromptTokens);
    }

    [Fact]
    public async Task Logprobs_Greedy_ChosenIsMostLikelyAndProbabilitiesAreValid()
    {
        var result = await fixture.Engine.GenerateAsync(new GenerationRequest
        {
            Prompt = "Once upon a time",
            MaxTokens = 5,
            Sampling = SamplerSettings.Greedy,
            TopLogprobs = 3,
        });

        var logprobs = result.Samples[0].Logprobs!;
        Assert.Equal(5, logprobs.Count);
        foreach (var step in logprobs)
        {
            Assert.Equal(3, step.TopAlternatives.Count);
            Assert.Equal(step.TopAlternatives[0].Token, step.Chosen.Token);
            Assert.True(step.Chosen.Logprob <= 0);
            Assert.True(step.TopAlternatives.Sum(t => Math.Exp(t.Logprob)) <= 1.0001);
            Assert.True(step.TopAlternatives[0].Logprob >= step.TopAlternatives[1].Logprob);
        }
        Assert.NotNull(result.Samples[0].MeanLogprob);
    }

    [Fact]
    public async Task Penalties_Change_Output()
    {
        var plain = await fixture.Engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 48, Sampling = SamplerSettings.Greedy });
        var penalized = await fixture.Engine.GenerateAsync(new GenerationRequest
        {
            Prompt = "Once upon a time",
            MaxTokens = 48,
            Sampling = SamplerSettings.Greedy with { RepeatPenalty = 1.5f, FrequencyPenalty = 1f, PresencePenalty = 1f },
        });

        Assert.NotEqual(plain.Samples[0].Text, penalized.Samples[0].Text);
    }

    [Fact]
    public async Task Grammar_ForcesOutput_AndEndsWithStop()
    {
        var result = await fixture.Engine.GenerateAsync(new GenerationRequest
        {
            Prompt = "Once upon a time",
            MaxTokens = 40,
            Sampling = SamplerSettings.Greedy with { Grammar = "root ::= \" the end\"" },
        });

        var sample = result.Samples[0];
        Assert.Equal(" the end", sample.Text);
        Assert.Equal(FinishReason.Stop, sample.FinishReason);
    }
}
