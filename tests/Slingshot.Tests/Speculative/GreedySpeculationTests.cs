using Slingshot.Testing;

namespace Slingshot.Tests.Speculative;

public sealed class GreedySpeculationTests
{
    private static readonly string[] Prompts = ["Once upon a time", "hello world", "the cat sat on the mat and the dog", "a"];

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(8, false)]
    [InlineData(6, true)]
    public async Task Greedy_LayerTruncatedDraft_MatchesTargetOnlyTokenForToken(int draftMax, bool adaptive)
    {
        using var plain = SpeculativeModels.Engine(SpeculativeModels.Target);
        using var draft = LlamaModel.Load(SpeculativeModels.Draft);
        using var speculative = SpeculativeModels.Engine(SpeculativeModels.Target,
            new SpeculativeOptions { DraftModel = draft, DraftMax = draftMax, AdaptiveDraftLength = adaptive });

        foreach (var prompt in Prompts)
        {
            var expected = await plain.GenerateAsync(SpeculativeModels.Greedy(prompt));
            var actual = await speculative.GenerateAsync(SpeculativeModels.Greedy(prompt));

            Assert.Equal(expected.Samples[0].Tokens, actual.Samples[0].Tokens);
            Assert.Equal(expected.Samples[0].Text, actual.Samples[0].Text);
            Assert.Equal(expected.Samples[0].FinishReason, actual.Samples[0].FinishReason);
            Assert.Null(expected.Speculation);
            var stats = Assert.IsType<SpeculationStatistics>(actual.Speculation);
            Assert.True(stats.Drafted > 0);
            Assert.InRange(stats.Accepted, 0, stats.Drafted);
            // Every pass emits its accepted draft plus one token of the target's own; the first token comes from the prompt's pass.
            Assert.Equal(actual.Samples[0].Tokens!.Count, 1 + stats.TargetPasses + stats.Accepted);
        }
    }

    [Fact]
    public async Task Greedy_LayerTruncatedDraft_AcceptsSomeButNotAll()
    {
        using var draft = LlamaModel.Load(SpeculativeModels.Draft);
        using var engine = SpeculativeModels.Engine(SpeculativeModels.Target, new SpeculativeOptions { DraftModel = draft, DraftMax = 4, AdaptiveDraftLength = false });

        var result = await engine.GenerateAsync(SpeculativeModels.Greedy("the cat sat on the mat and the dog", 96));

        var stats = result.Speculation!;
        Assert.InRange(stats.Accepted, 1, stats.Drafted - 1);
        Assert.True(stats.TargetPasses < result.Samples[0].Tokens!.Count - 1, "speculation should save target passes");
    }

    [Fact]
    public async Task Greedy_Stories260KDraftingForItself_MatchesTargetOnlyAndAcceptsEverything()
    {
        using var plain = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 512, MaxSequences = 2, Threads = 1 });
        using var draft = LlamaModel.Load(TestPaths.Stories260K);
        using var speculative = LlamaEngine.Load(TestPaths.Stories260K,
            new EngineOptions { ContextSize = 512, MaxSequences = 2, Threads = 1, Speculative = new SpeculativeOptions { DraftModel = draft, DraftMax = 5 } });
        var request = new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 64, Sampling = SamplerSettings.Greedy };

        var expected = await plain.GenerateAsync(request);
        var actual = await speculative.GenerateAsync(request);

        Assert.Equal(expected.Samples[0].Tokens, actual.Samples[0].Tokens);
        Assert.Equal(expected.Samples[0].Text, actual.Samples[0].Text);
        Assert.Equal(expected.Samples[0].FinishReason, actual.Samples[0].FinishReason);
        var stats = actual.Speculation!;
        Assert.Equal(stats.Drafted, stats.Accepted);
        Assert.True(stats.TargetPasses * 3 < actual.Samples[0].Tokens!.Count);
    }

    [Fact]
    public async Task Greedy_PromptLookup_MatchesTargetOnlyOnStories260K()
    {
        using var plain = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 512, MaxSequences = 2, Threads = 1 });
        using var lookup = LlamaEngine.Load(TestPaths.Stories260K,
            new EngineOptions { ContextSize = 512, MaxSequences = 2, Threads = 1, Speculative = new SpeculativeOptions { PromptLookup = true, DraftMax = 8 } });
        // A story the model tends to retell: lookup drafts from the prompt and from its own repetitions.
        var request = new GenerationRequest
        {
            Prompt = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. Once upon a time",
            MaxTokens = 80,
            Sampling = SamplerSettings.Greedy,
        };

        var expected = await plain.GenerateAsync(request);
        var actual = await lookup.GenerateAsync(request);

        Assert.Equal(expected.Samples[0].Tokens, actual.Samples[0].Tokens);
        Assert.True(actual.Speculation!.Accepted > 0);
    }

    [Fact]
    public async Task Greedy_StopSequenceAndStreaming_BehaveAsTheDecodeLoop()
    {
        using var plain = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 512, MaxSequences = 2, Threads = 1 });
        using var draft = LlamaModel.Load(TestPaths.Stories260K);
        using var speculative = LlamaEngine.Load(TestPaths.Stories260K,
            new EngineOptions { ContextSize = 512, MaxSequences = 2, Threads = 1, Speculative = new SpeculativeOptions { DraftModel = draft } });
        var request = new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 64, Sampling = SamplerSettings.Greedy, StopSequences = ["Lily"] };

        var expected = await plain.GenerateAsync(request);
        var streamed = new System.Text.StringBuilder();
        var streamedTokens = new List<int>();
        GenerationResult? result = null;
        await foreach (var update in speculative.StreamAsync(request))
        {
            streamed.Append(update.Text);
            if (update.Token is { } token)
            {
                streamedTokens.Add(token);
            }
            result ??= update.Result;
        }

        Assert.Equal(", there was a little girl named ", expected.Samples[0].Text);
        Assert.Equal(expected.Samples[0].Text, streamed.ToString());
        Assert.Equal(expected.Samples[0].Text, result!.Samples[0].Text);
        Assert.Equal(FinishReason.Stop, result.Samples[0].FinishReason);
        // Both paths cut the stop sequence's tokens the same way, and stream only the tokens they keep.
        Assert.Equal(expected.Samples[0].Tokens, result.Samples[0].Tokens);
        Assert.Equal(expected.Samples[0].Usage, result.Samples[0].Usage);
        Assert.Equal(result.Samples[0].Tokens, streamedTokens);
    }

    [Fact]
    public async Task Request_SpeculationCannotServe_GoesToTheDecodeLoop()
    {
        using var draft = LlamaModel.Load(TestPaths.Stories260K);
        using var engine = LlamaEngine.Load(TestPaths.Stories260K,
            new EngineOptions { ContextSize = 512, MaxSequences = 4, Threads = 1, Speculative = new SpeculativeOptions { DraftModel = draft } });

        var forked = await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 8, SampleCount = 2, Sampling = SamplerSettings.Greedy });
        var withLogprobs = await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 8, TopLogprobs = 0, Sampling = SamplerSettings.Greedy });
        var single = await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 8, Sampling = SamplerSettings.Greedy });

        Assert.Null(forked.Speculation);
        Assert.Null(withLogprobs.Speculation);
        Assert.NotNull(single.Speculation);
        Assert.Equal(forked.Samples[0].Text, single.Samples[0].Text);
    }

    [Fact]
    public async Task Cancellation_DuringSpeculation_EndsTheRequest()
    {
        using var draft = LlamaModel.Load(TestPaths.Stories260K);
        using var engine = LlamaEngine.Load(TestPaths.Stories260K,
            new EngineOptions { ContextSize = 2048, MaxSequences = 2, Threads = 1, Speculative = new SpeculativeOptions { DraftModel = draft } });
        using var cancel = new CancellationTokenSource();
        var request = new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 1500, IgnoreEndOfGeneration = true, Sampling = SamplerSettings.Greedy };

        var tokens = 0;
        GenerationResult? result = null;
        await foreach (var update in engine.StreamAsync(request, cancel.Token))
        {
            if (++tokens == 3)
            {
                await cancel.CancelAsync();
            }
            result ??= update.Result;
        }

        Assert.Equal(FinishReason.Cancelled, result!.Samples[0].FinishReason);
        Assert.InRange(result.Samples[0].Tokens!.Count, 1, 1000);
        var after = await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 10, Sampling = SamplerSettings.Greedy });
        Assert.Equal(", there was a little girl named Lily", after.Samples[0].Text);
    }
}
