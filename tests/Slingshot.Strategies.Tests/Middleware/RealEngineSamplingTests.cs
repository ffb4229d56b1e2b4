using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Middleware;

/// <summary>Repeated sampling and selection on the real engine: the forked path and the separate-calls path.</summary>
public sealed class RealEngineSamplingTests(StoriesChatFixture fixture) : IClassFixture<StoriesChatFixture>
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Once upon a time, there was a little girl")];

    private static ChatOptions Sampled(long seed) => new() { Temperature = 1, Seed = seed, MaxOutputTokens = 16 };

    [Fact]
    public async Task SampleAsync_LocalEngine_ForksOneRequestAndCountsThePromptOnce()
    {
        var promptTokens = await PromptTokensAsync();
        var sampler = new RepeatedSampler(fixture.Client, new RepeatedSamplingOptions { Count = 4, TopLogprobs = 0 });

        var result = await sampler.SampleAsync(Prompt, Sampled(42));

        Assert.True(result.UsedSampleSource);
        Assert.Equal(4, result.Candidates.Count);
        Assert.Equal(promptTokens, result.Usage.InputTokenCount);
        Assert.Equal(result.Candidates.Sum(c => c.Usage!.Value.CompletionTokens), result.Usage.OutputTokenCount);
        Assert.Equal([42L, 43, 44, 45], result.Candidates.Select(c => c.Seed!.Value));
        Assert.All(result.Candidates, c => Assert.InRange(c.MeanLogprob!.Value, double.MinValue, 0));
        Assert.Equal("stories260K", result.ModelId);
    }

    [Fact]
    public async Task SampleAsync_SourceHidden_CallsOncePerSampleWithDistinctSeeds()
    {
        var promptTokens = await PromptTokensAsync();
        var hidden = new HiddenSampleSourceClient(fixture.Client);
        var sampler = new RepeatedSampler(hidden, new RepeatedSamplingOptions { Count = 4, MaxConcurrency = 4 });

        var result = await sampler.SampleAsync(Prompt, Sampled(42));

        Assert.False(result.UsedSampleSource);
        Assert.Equal(4, hidden.Calls);
        Assert.Equal(4 * promptTokens, result.Usage.InputTokenCount);
        Assert.True(result.Candidates.Select(c => c.Text).Distinct().Count() > 1, "four seeds at temperature 1 drew one text");
        Assert.All(result.Candidates, c => Assert.Null(c.MeanLogprob));
    }

    [Fact]
    public async Task SampleAsync_SameSeeds_ForkedAndSeparateCallsDrawTheSameSamples()
    {
        var forked = await new RepeatedSampler(fixture.Client, new RepeatedSamplingOptions { Count = 3 }).SampleAsync(Prompt, Sampled(7));
        var separate = await new RepeatedSampler(new HiddenSampleSourceClient(fixture.Client), new RepeatedSamplingOptions { Count = 3 })
            .SampleAsync(Prompt, Sampled(7));

        Assert.Equal(forked.Candidates.Select(c => c.Text), separate.Candidates.Select(c => c.Text));
    }

    [Fact]
    public async Task MajorityVote_GreedySamples_AgreeCompletelyAndCountPromptOnce()
    {
        var promptTokens = await PromptTokensAsync();
        using IChatClient client = new ChatClientBuilder(fixture.Client).UseMajorityVote(new FirstWordExtractor(), 4).Build();

        var response = await client.GetResponseAsync(Prompt, new ChatOptions { Temperature = 0, MaxOutputTokens = 16 });

        var outcome = response.GetStrategyOutcome()!;
        Assert.Equal(1.0, outcome.Agreement);
        Assert.Equal(4, outcome.Votes);
        Assert.Equal(0, outcome.SelectedIndex);
        Assert.Equal(promptTokens, response.Usage!.InputTokenCount);
        var candidates = outcome.Candidates;
        Assert.Equal(candidates.Sum(c => c.Usage!.Value.CompletionTokens), response.Usage.OutputTokenCount);
        Assert.Single(candidates.Select(c => c.Text).Distinct());
    }

    [Fact]
    public async Task Verifier_Streaming_YieldsTheSameAnswerAsTheResponse()
    {
        using IChatClient client = new ChatClientBuilder(fixture.Client).UseVerifier(new LongerThanVerifier(10), 3).Build();
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 16 };

        var response = await client.GetResponseAsync(Prompt, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Prompt, options))
        {
            updates.Add(update);
        }

        Assert.Equal(true, response.GetStrategyOutcome()!.Verified);
        Assert.Equal(response.Text, updates.ToChatResponse().Text);
        Assert.Equal(response.Usage!.OutputTokenCount, updates.ToChatResponse().Usage!.OutputTokenCount);
    }

    private async Task<long> PromptTokensAsync()
    {
        var single = await fixture.Client.GetResponseAsync(Prompt, new ChatOptions { Temperature = 0, MaxOutputTokens = 1 });
        return single.Usage!.InputTokenCount!.Value;
    }

    /// <summary>Passes samples longer than a number of characters.</summary>
    private sealed class LongerThanVerifier(int characters) : IVerifier
    {
        public string Name => "longer-than";

        public ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(text.Length > characters ? Verdict.Pass($"{text.Length} characters") : Verdict.Fail($"only {text.Length} characters"));
    }
}
