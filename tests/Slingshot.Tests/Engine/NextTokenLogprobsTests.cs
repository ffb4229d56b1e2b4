namespace Slingshot.Tests.Engine;

public sealed class NextTokenLogprobsTests : IDisposable
{
    // No prefix cache: these tests ask the same prompt twice and expect the same bits, but a cached prefix would leave one
    // token to prefill instead of the whole prompt, and this F32 model's matrix products round differently by batch size.
    private readonly LlamaEngine _engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 512, MaxSequences = 4, Threads = 1, PrefixCache = false });

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task NextTokenLogprobs_Prompt_FormAProbabilityDistribution()
    {
        var logprobs = await _engine.GetNextTokenLogprobsAsync(new GenerationRequest { Prompt = "Once upon a time" });

        Assert.Equal(_engine.Model.Vocabulary.Count, logprobs.Length);
        Assert.Equal(1.0, logprobs.Sum(l => Math.Exp(l)), 4);
        Assert.All(logprobs, l => Assert.True(l <= 0));
    }

    [Fact]
    public async Task NextTokenLogprobs_Prompt_AgreeWithGreedyChoiceAndItsReportedLogprob()
    {
        var prompt = new GenerationRequest { Prompt = "Once upon a time, there was a" };
        var logprobs = await _engine.GetNextTokenLogprobsAsync(prompt);
        var greedy = await _engine.GenerateAsync(prompt with { MaxTokens = 1, Sampling = SamplerSettings.Greedy, TopLogprobs = 0 });

        var argmax = Array.IndexOf(logprobs, logprobs.Max());
        var chosen = greedy.Samples[0].Logprobs![0].Chosen;
        Assert.Equal(chosen.Token, argmax);
        Assert.Equal(chosen.Logprob, logprobs[argmax], 4);
    }

    [Fact]
    public async Task GreedyGeneration_EveryToken_IsTheMostLikelyOfTheFullDistribution()
    {
        // Greedy decoding takes a vectorized argmax instead of llama.cpp's sampler chain: each of its tokens must be
        // the top of the model's distribution after the tokens before it (within float noise between a batched
        // prefill and one-token decodes, which can reorder near-ties).
        var prompt = _engine.Model.Vocabulary.Tokenize("Once upon a time", addSpecial: true, parseSpecial: false);
        var greedy = await _engine.GenerateAsync(new GenerationRequest { PromptTokens = prompt, MaxTokens = 40, Sampling = SamplerSettings.Greedy, IgnoreEndOfGeneration = true });
        var tokens = greedy.Samples[0].Tokens!;
        Assert.Equal(40, tokens.Count);

        for (var i = 0; i < tokens.Count; i++)
        {
            var logprobs = await _engine.GetNextTokenLogprobsAsync(new GenerationRequest { PromptTokens = [.. prompt, .. tokens.Take(i)] });
            Assert.True(logprobs[tokens[i]] >= logprobs.Max() - 1e-3f, $"token {i}: {tokens[i]} at {logprobs[tokens[i]]}, the best is {Array.IndexOf(logprobs, logprobs.Max())} at {logprobs.Max()}");
        }
    }

    [Fact]
    public async Task ScoreNextTokens_ChosenTokens_AreEntriesOfTheFullDistribution()
    {
        var prompt = new GenerationRequest { Prompt = "Lily and Tom" };
        var logprobs = await _engine.GetNextTokenLogprobsAsync(prompt);
        int[] tokens = [5, 100, 300];

        var scores = await _engine.ScoreNextTokensAsync(prompt, tokens);

        Assert.Equal(tokens.Select(t => logprobs[t]), scores);
    }

    [Fact]
    public async Task ScoreNextTokens_TokenOutsideVocabulary_ThrowsBeforeDecoding()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            _engine.ScoreNextTokensAsync(new GenerationRequest { Prompt = "Hi" }, [_engine.Model.Vocabulary.Count]));
    }

    [Fact]
    public async Task NextTokenLogprobs_WhileOtherRequestsGenerate_ReturnsTheSameDistribution()
    {
        var prompt = new GenerationRequest { Prompt = "The little dog" };
        var alone = await _engine.GetNextTokenLogprobsAsync(prompt);

        var busy = _engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 64, SampleCount = 3 });
        var together = await _engine.GetNextTokenLogprobsAsync(prompt);
        await busy;

        Assert.Equal(alone.Length, together.Length);
        Assert.True(alone.Zip(together).Max(p => Math.Abs(p.First - p.Second)) < 1e-3);
    }
}
