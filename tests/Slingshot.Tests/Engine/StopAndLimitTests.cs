using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

public sealed class StopAndLimitTests(StoriesEngineFixture fixture) : IClassFixture<StoriesEngineFixture>
{
    private Task<GenerationResult> Greedy(int maxTokens, params string[] stops) =>
        fixture.Engine.GenerateAsync(new GenerationRequest
        {
            Prompt = "Once upon a time",
            MaxTokens = maxTokens,
            StopSequences = stops,
            Sampling = SamplerSettings.Greedy,
        });

    [Fact]
    public async Task StopSequence_WithinText_TruncatesBeforeItAndFinishesWithStop()
    {
        var result = await Greedy(48, "Lily");

        Assert.Equal(", there was a little girl named ", result.Samples[0].Text);
        Assert.Equal(FinishReason.Stop, result.Samples[0].FinishReason);
    }

    [Fact]
    public async Task StopSequence_SpanningTokens_IsFound()
    {
        var vocabulary = fixture.Engine.Model.Vocabulary;
        var full = await Greedy(48);
        // Find a stop string that starts inside one token and ends inside a later one.
        var tokens = full.Samples[0].Tokens!;
        var pieces = tokens.Select(t => vocabulary.Detokenize([t])).ToArray();
        var boundary = pieces[0].Length + pieces[1].Length + pieces[2].Length; // after three tokens
        var text = full.Samples[0].Text;
        var stop = text.Substring(boundary - 2, 4);

        var result = await Greedy(48, stop);

        Assert.Equal(text[..text.IndexOf(stop, StringComparison.Ordinal)], result.Samples[0].Text);
        Assert.Equal(FinishReason.Stop, result.Samples[0].FinishReason);
    }

    [Fact]
    public async Task StopSequence_NeverSeen_ReleasesHeldTextAtLength()
    {
        var result = await Greedy(10, "girl named Bob");

        Assert.Equal(", there was a little girl named Lily", result.Samples[0].Text);
        Assert.Equal(FinishReason.Length, result.Samples[0].FinishReason);
    }

    [Fact]
    public async Task MaxTokens_Reached_FinishesWithLength()
    {
        var result = await Greedy(3);

        Assert.Equal(3, result.Samples[0].Tokens!.Count);
        Assert.Equal(FinishReason.Length, result.Samples[0].FinishReason);
    }

    [Fact]
    public async Task DefaultMaxTokens_WithoutMaxTokens_CapsEachSample_AndIsCutToTheContext()
    {
        var capped = await fixture.Engine.GenerateAsync(new GenerationRequest
        {
            Prompt = "Once upon a time", DefaultMaxTokens = 4, SampleCount = 2, IgnoreEndOfGeneration = true, Sampling = SamplerSettings.Greedy,
        });
        Assert.All(capped.Samples, s => Assert.Equal(4, s.Tokens!.Count));

        // A default larger than the context would otherwise be refused; it is cut to what fits beside the prompt.
        var cut = await fixture.Engine.GenerateAsync(new GenerationRequest
        {
            Prompt = "Once upon a time", DefaultMaxTokens = 1_000_000, SampleCount = 2, IgnoreEndOfGeneration = true, Sampling = SamplerSettings.Greedy,
        });
        Assert.All(cut.Samples, s => Assert.InRange(s.Tokens!.Count, 1, fixture.Engine.ContextSize / 2));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Engine.GenerateAsync(new GenerationRequest { Prompt = "x", DefaultMaxTokens = 0 }));
    }

    [Fact]
    public async Task Streaming_ConcatenatedText_EqualsFinalText()
    {
        var text = new System.Text.StringBuilder();
        Sample? final = null;
        await foreach (var update in fixture.Engine.StreamAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 30, StopSequences = ["ball"], Sampling = SamplerSettings.Greedy }))
        {
            if (update.SampleIndex == 0)
            {
                text.Append(update.Text);
            }
            final = update.Sample ?? final;
        }

        Assert.NotNull(final);
        Assert.Equal(final.Text, text.ToString());
    }
}
