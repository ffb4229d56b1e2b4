using Microsoft.Extensions.AI;
using Slingshot.Strategies.Cascades;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Tests.Middleware;

namespace Slingshot.Strategies.Tests.Cascades;

/// <summary>Cascades over the real engine: a voting first tier on stories260K, the same model at one sample as the next.</summary>
public sealed class RealEngineCascadeTests(StoriesChatFixture fixture) : IClassFixture<StoriesChatFixture>
{
    private static ChatOptions Sampled => new() { Temperature = 1, Seed = 11, MaxOutputTokens = 8 };

    // Built clients are not disposed: disposing middleware disposes the fixture's client underneath.
    private IChatClient Cascade(IEscalationTest test) => new ChatClientBuilder(fixture.Client)
        .UseCascade(
            new CascadeTierOptions { Name = "vote", EscalateWhen = test, Price = new TokenPrice(1, 1) },
            new CascadeTier(fixture.Client, new CascadeTierOptions { Name = "single", Price = new TokenPrice(10, 10) }))
        .UseMajorityVote(new FirstWordExtractor(), new RepeatedSamplingOptions { Count = 3, TopLogprobs = 0 })
        .Build();

    private static List<CascadeAttempt> AttemptsOf(ChatResponse response) =>
        [.. response.GetStrategyOutcome()!.Attempts!];

    [Fact]
    public async Task LogprobTest_RealVote_ScoresTheSelectedSampleAndEscalatesOnlyBelowTheThreshold()
    {
        var kept = await Cascade(new MeanLogprobEscalation(-1_000)).GetResponseAsync("Once upon a time", Sampled);
        var escalated = await Cascade(new MeanLogprobEscalation(0.5)).GetResponseAsync("Once upon a time", Sampled);

        var keptAttempt = Assert.Single(AttemptsOf(kept));
        Assert.InRange(keptAttempt.Score!.Value, -1_000, 0);
        var candidates = kept.GetStrategyOutcome()!.Candidates;
        var selected = kept.GetStrategyOutcome()!.SelectedIndex!.Value;
        Assert.Equal(candidates[selected].MeanLogprob, keptAttempt.Score);

        var attempts = AttemptsOf(escalated);
        Assert.Equal(["vote", "single"], attempts.Select(a => a.Model));
        Assert.StartsWith("mean logprob", attempts[0].EscalatedBecause, StringComparison.Ordinal);
        // The same seed and prompt draw the same vote, so the first tier's score is the kept one's.
        Assert.Equal(keptAttempt.Score, attempts[0].Score);
    }

    [Fact]
    public async Task AgreementTest_RealVote_UsageSumsBothTiersAndCostsFollowThePrices()
    {
        var response = await Cascade(new AgreementEscalation(1.01)).GetResponseAsync("Once upon a time", Sampled);

        var attempts = AttemptsOf(response);
        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempts.Sum(a => a.Usage!.InputTokenCount), response.Usage!.InputTokenCount);
        Assert.Equal(attempts.Sum(a => a.Usage!.OutputTokenCount), response.Usage.OutputTokenCount);
        Assert.All(attempts, a => Assert.True(a.Latency > TimeSpan.Zero));
        var single = attempts[1];
        Assert.Equal((single.Usage!.InputTokenCount!.Value + single.Usage.OutputTokenCount!.Value) * 10 / 1e6, single.CostUsd!.Value, 12);
    }
}
