using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

public sealed class GoldenOutputTests(StoriesEngineFixture fixture) : IClassFixture<StoriesEngineFixture>
{
    private const string Golden48 =
        ", there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it,";

    [Fact]
    public async Task Greedy_OnceUponATime_MatchesPublishedGoldenText()
    {
        var result = await fixture.Engine.GenerateAsync(new GenerationRequest
        {
            Prompt = "Once upon a time",
            MaxTokens = 48,
            Sampling = SamplerSettings.Greedy,
        });

        var sample = Assert.Single(result.Samples);
        Assert.Equal(Golden48, sample.Text);
        Assert.Equal(48, sample.Tokens!.Count);
        Assert.Equal(FinishReason.Length, sample.FinishReason);
        Assert.Equal(48, result.Usage.CompletionTokens);
        Assert.Equal(fixture.Engine.Model.Vocabulary.Tokenize("Once upon a time").Length, result.Usage.PromptTokens);
    }

    [Fact]
    public async Task Greedy_TenTokens_MatchesGoldenPrefix()
    {
        var result = await fixture.Engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 10, Sampling = SamplerSettings.Greedy });

        Assert.Equal(", there was a little girl named Lily", result.Samples[0].Text);
    }

    [Fact]
    public async Task Greedy_Timings_AreReported()
    {
        var result = await fixture.Engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 16, Sampling = SamplerSettings.Greedy });

        Assert.True(result.Timings.TimeToFirstToken > TimeSpan.Zero);
        Assert.True(result.Timings.PrefillTokensPerSecond > 0);
        Assert.True(result.Timings.DecodeTokensPerSecond > 0);
        Assert.True(result.Timings.Total >= result.Timings.TimeToFirstToken);
    }

    [Fact]
    public async Task Prompt_StartingWithBosText_GetsNoSecondBos()
    {
        var plain = await fixture.Engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 10, Sampling = SamplerSettings.Greedy });
        var withBos = await fixture.Engine.GenerateAsync(new GenerationRequest { Prompt = "<s>Once upon a time", MaxTokens = 10, Sampling = SamplerSettings.Greedy });

        Assert.Equal(plain.Usage.PromptTokens, withBos.Usage.PromptTokens);
        Assert.Equal(plain.Samples[0].Text, withBos.Samples[0].Text);
    }
}
