using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

/// <summary>
/// After a stop sequence cuts the text, the sample's tokens and log-probabilities match the text: tokens wholly inside
/// the cut part are dropped, a token that straddles the cut stays (the text keeps its beginning). Greedy stories260K.
/// </summary>
public sealed class StopSequenceTokensTests(StoriesEngineFixture fixture) : IClassFixture<StoriesEngineFixture>
{
    private GenerationRequest Greedy(params string[] stops) => new()
    {
        Prompt = "Once upon a time",
        MaxTokens = 24,
        StopSequences = stops,
        Sampling = SamplerSettings.Greedy,
        TopLogprobs = 1,
    };

    [Fact]
    public async Task Stop_StartingAtATokenAndSpanningTheNext_DropsBothTokensAndTheirLogprobs()
    {
        var (full, starts) = await Reference();
        var k = FirstTokenLongerThan(full, starts, 2);
        var stop = full.Text[starts[k]..(starts[k + 1] + 1)]; // all of token k and the first character of k + 1

        var cut = await fixture.Engine.GenerateAsync(Greedy(stop));

        var sample = cut.Samples[0];
        Assert.Equal(full.Text[..starts[k]], sample.Text);
        Assert.Equal(full.Tokens!.Take(k), sample.Tokens!);
        Assert.Equal(full.Logprobs!.Take(k).Select(l => l.Chosen), sample.Logprobs!.Select(l => l.Chosen));
        Assert.Equal(k + 2, sample.Usage!.Value.CompletionTokens); // every token decoded counts, the cut ones too
    }

    [Fact]
    public async Task Stop_StartingInsideAToken_KeepsTheStraddlingToken()
    {
        var (full, starts) = await Reference();
        var k = FirstTokenLongerThan(full, starts, 2);
        var stop = full.Text[(starts[k] + 1)..(starts[k + 1] + 1)]; // from inside token k into token k + 1

        var cut = await fixture.Engine.GenerateAsync(Greedy(stop));

        var sample = cut.Samples[0];
        Assert.Equal(full.Text[..(starts[k] + 1)], sample.Text);
        Assert.Equal(full.Tokens!.Take(k + 1), sample.Tokens!);
        Assert.Equal(full.Logprobs!.Take(k + 1).Select(l => l.Chosen), sample.Logprobs!.Select(l => l.Chosen));
        Assert.Equal(sample.Tokens!.Count, sample.Logprobs!.Count);
    }

    [Fact]
    public async Task Stop_Streamed_TokensAndLogprobsMatchTheFinalSample()
    {
        var (full, starts) = await Reference();
        var k = FirstTokenLongerThan(full, starts, 2);
        var stop = full.Text[starts[k]..(starts[k + 1] + 1)];
        var (text, tokens, logprobs) = (new System.Text.StringBuilder(), new List<int>(), new List<TokenLogprob>());
        Sample? final = null;

        await foreach (var update in fixture.Engine.StreamAsync(Greedy(stop)))
        {
            text.Append(update.Text);
            if (update.Token is { } token)
            {
                tokens.Add(token);
                logprobs.Add(update.Logprob!);
            }
            final = update.Sample ?? final;
        }

        Assert.NotNull(final);
        Assert.Equal(final.Text, text.ToString());
        Assert.Equal(final.Tokens, tokens);
        Assert.Equal(final.Logprobs!, logprobs);
        Assert.Equal(full.Tokens!.Take(k), tokens);
    }

    /// <summary>The uncut greedy sample and the offset in its text where each token's text begins.</summary>
    private async Task<(Sample Full, int[] Starts)> Reference()
    {
        var full = (await fixture.Engine.GenerateAsync(Greedy())).Samples[0];
        var decoder = new TokenTextDecoder(fixture.Engine.Model.Vocabulary);
        var starts = new int[full.Tokens!.Count + 1];
        for (var i = 0; i < full.Tokens.Count; i++)
        {
            starts[i + 1] = starts[i] + decoder.Append(full.Tokens[i]).Length;
        }
        Assert.Equal(full.Text.Length, starts[^1]);
        return (full, starts);
    }

    /// <summary>A token in the middle of the text whose text is longer than <paramref name="length"/> characters.</summary>
    private static int FirstTokenLongerThan(Sample full, int[] starts, int length)
    {
        var k = Enumerable.Range(3, full.Tokens!.Count - 5).First(i => starts[i + 1] - starts[i] > length);
        // The stop must not occur earlier in the text, or it would cut there instead.
        Assert.Equal(starts[k], full.Text.IndexOf(full.Text[starts[k]..(starts[k + 1] + 1)], StringComparison.Ordinal));
        return k;
    }
}
