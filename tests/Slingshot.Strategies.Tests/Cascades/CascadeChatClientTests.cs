using Microsoft.Extensions.AI;
using Slingshot.Strategies.Cascades;
using Slingshot.Strategies.Tests.Middleware;

namespace Slingshot.Strategies.Tests.Cascades;

public sealed class CascadeChatClientTests
{
    private static FakeChatClient Answering(string text, string model, double? agreement, int input, int output, List<string> calls) => new()
    {
        GetResponseAsyncCallback = (_, _, _) =>
        {
            lock (calls)
            {
                calls.Add(model);
            }
            var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
            {
                ModelId = model,
                Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
            };
            if (agreement is { } a)
            {
                response.WithStrategyOutcome(new StrategyOutcome { Reason = "vote", Agreement = a });
            }
            return Task.FromResult(response);
        },
        // It stands for a voting tier (it reports an agreement), so a cascade may test it by agreement.
        GetServiceCallback = (type, _) => type == typeof(ConfidenceSignals) ? new ConfidenceSignals(Agreement: true, MeanLogprob: false) : null,
    };

    /// <summary>A single model's client: it answers one sample and reports neither an agreement nor log-probabilities.</summary>
    private static FakeChatClient Single() => new()
    {
        GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))),
    };

    /// <summary>A client with its own sample source that does, or does not, report log-probabilities.</summary>
    private static FakeChatClient WithSource(bool logprobs)
    {
        var source = new FakeSampleSource { Info = new SampleSourceInfo { ModelId = "m", SupportsLogprobs = logprobs } };
        return new FakeChatClient { GetServiceCallback = (type, _) => type == typeof(ISampleSource) ? source : null };
    }

    private static List<CascadeAttempt> AttemptsOf(ChatResponse response) =>
        [.. response.GetStrategyOutcome()!.Attempts!];

    [Fact]
    public async Task GetResponse_ConfidentFirstTier_AnswersLocallyAndNeverCallsTheNext()
    {
        var calls = new List<string>();
        using var cascade = new ChatClientBuilder(Answering("18", "small", 0.9, 10, 5, calls))
            .UseCascade(Answering("17", "large", null, 10, 2, calls), new AgreementEscalation(0.6))
            .Build();

        var response = await cascade.GetResponseAsync("q");

        Assert.Equal("18", response.Text);
        Assert.Equal(["small"], calls);
        var attempt = Assert.Single(AttemptsOf(response));
        Assert.Null(attempt.EscalatedBecause);
        Assert.Equal(0.9, attempt.Score);
        Assert.Equal("agreement 0.9 reaches 0.6", attempt.Decision);
        Assert.Equal(15, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponse_LowAgreement_EscalatesAndReportsEveryAttempt()
    {
        var calls = new List<string>();
        using var cascade = new ChatClientBuilder(Answering("18", "small", 0.25, 40, 32, calls))
            .UseCascade(Answering("17", "large", null, 12, 3, calls), new AgreementEscalation(0.6))
            .Build();

        var response = await cascade.GetResponseAsync("q");

        Assert.Equal("17", response.Text);
        Assert.Equal(["small", "large"], calls);
        var attempts = AttemptsOf(response);
        Assert.Equal(["small", "large"], attempts.Select(a => a.Model));
        Assert.Equal([0, 1], attempts.Select(a => a.Tier));
        Assert.Equal("agreement 0.25 below 0.6", attempts[0].EscalatedBecause);
        Assert.Null(attempts[1].EscalatedBecause);
        Assert.Equal("no escalation test", attempts[1].Decision);
        Assert.Equal(52, response.Usage!.InputTokenCount);
        Assert.Equal(35, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task GetResponse_ThreeTiersWithPrices_StopsAtTheFirstConfidentTierAndPricesEachAttempt()
    {
        var calls = new List<string>();
        using var cascade = new ChatClientBuilder(Answering("a", "local-model", 0.2, 1_000, 500, calls))
            .UseCascade(
                new CascadeTierOptions { Name = "small", EscalateWhen = new AgreementEscalation(0.5), Price = new TokenPrice(0, 0) },
                new CascadeTier(Answering("b", "medium-model", 0.75, 2_000, 100, calls),
                    new CascadeTierOptions { Name = "medium", EscalateWhen = new AgreementEscalation(0.7), Price = new TokenPrice(1, 2) }),
                new CascadeTier(Answering("c", "large-model", null, 2_000, 100, calls),
                    new CascadeTierOptions { Name = "large", Price = new TokenPrice(10, 30) }))
            .Build();

        var response = await cascade.GetResponseAsync("q");

        Assert.Equal("b", response.Text);
        Assert.Equal(["local-model", "medium-model"], calls);
        var attempts = AttemptsOf(response);
        Assert.Equal(["small", "medium"], attempts.Select(a => a.Model));
        Assert.Equal(0.0, attempts[0].CostUsd);
        // 2,000 input tokens at $1 and 100 output tokens at $2 per million.
        Assert.Equal(0.0022, attempts[1].CostUsd!.Value, 12);
        Assert.Equal([0.2, 0.75], attempts.Select(a => a.Score!.Value));
        Assert.Equal(3_600, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponse_LastTierFailsItsTest_KeepsItsAnswerAndSaysNoTierIsLeft()
    {
        var calls = new List<string>();
        using var cascade = new ChatClientBuilder(Answering("a", "small", 0.1, 1, 1, calls))
            .UseCascade(new CascadeTierOptions { EscalateWhen = new AgreementEscalation(0.5) },
                new CascadeTier(Answering("b", "large", 0.2, 1, 1, calls), new CascadeTierOptions { EscalateWhen = new AgreementEscalation(0.5) }))
            .Build();

        var response = await cascade.GetResponseAsync("q");

        Assert.Equal("b", response.Text);
        var last = AttemptsOf(response)[^1];
        Assert.Null(last.EscalatedBecause);
        Assert.Equal("agreement 0.2 below 0.5; no tier left", last.Decision);
    }

    [Fact]
    public async Task GetResponse_NestedCascades_ListAllThreeTiers()
    {
        var calls = new List<string>();
        using var inner = new ChatClientBuilder(Answering("a", "medium", 0.3, 1, 1, calls))
            .UseCascade(Answering("b", "large", null, 1, 1, calls), new AgreementEscalation(0.5)).Build();
        using var cascade = new ChatClientBuilder(Answering("c", "small", 0.1, 1, 1, calls))
            .UseCascade(inner, new AgreementEscalation(0.5)).Build();

        var response = await cascade.GetResponseAsync("q");

        Assert.Equal("b", response.Text);
        var attempts = AttemptsOf(response);
        Assert.Equal(["small", "medium", "large"], attempts.Select(a => a.Model));
        Assert.Equal([0, 1, 2], attempts.Select(a => a.Tier));
        Assert.Equal(6, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponse_EscalatedRequest_StreamsTheLastTiersAnswer()
    {
        var calls = new List<string>();
        using var cascade = new ChatClientBuilder(Answering("x", "small", 0.0, 1, 1, calls))
            .UseCascade(Answering("y", "large", null, 1, 1, calls), new AgreementEscalation(0.5)).Build();

        var text = string.Concat(await cascade.GetStreamingResponseAsync("q").Select(u => u.Text).ToListAsync());

        Assert.Equal("y", text);
        Assert.Equal(["small", "large"], calls);
    }

    [Fact]
    public void Constructor_NoTierAfterTheFirst_Throws()
    {
        var calls = new List<string>();
        Assert.Throws<ArgumentException>(() => new CascadeChatClient(Answering("x", "small", 1, 1, 1, calls), new CascadeTierOptions(), []));
    }

    [Fact]
    public void Constructor_AgreementTestOnATierThatDoesNotVote_ThrowsNamingTheTier()
    {
        var calls = new List<string>();
        var refused = Assert.Throws<ArgumentException>(() => new CascadeChatClient(Single(),
            new CascadeTierOptions { Name = "small", EscalateWhen = new AgreementEscalation(0.5) },
            [new CascadeTier(Answering("y", "large", null, 1, 1, calls), new CascadeTierOptions())]));

        Assert.StartsWith("Cascade tier 1 ('small') is tested by 'agreement', but that tier does not vote", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_AgreementTestOnAVotingTier_IsAccepted()
    {
        using var vote = new ChatClientBuilder(Single()).UseMajorityVote(new FirstWordExtractor(), count: 2).Build();

        using var cascade = new CascadeChatClient(vote, new CascadeTierOptions { EscalateWhen = new AgreementEscalation(0.5) },
            [new CascadeTier(Single(), new CascadeTierOptions())]);

        Assert.Equal(new ConfidenceSignals(Agreement: true, MeanLogprob: false), vote.GetService<ConfidenceSignals>());
    }

    [Fact]
    public void Constructor_MiddleTierThatDoesNotVote_ThrowsButTheLastTiersTestOnlyReportsAScore()
    {
        var calls = new List<string>();
        var voting = Answering("a", "small", 0.1, 1, 1, calls);

        var refused = Assert.Throws<ArgumentException>(() => new CascadeChatClient(voting, new CascadeTierOptions { EscalateWhen = new AgreementEscalation(0.5) },
            [new CascadeTier(Single(), new CascadeTierOptions { EscalateWhen = new AgreementEscalation(0.5) }),
             new CascadeTier(Single(), new CascadeTierOptions())]));
        using var lastTested = new CascadeChatClient(voting, new CascadeTierOptions { EscalateWhen = new AgreementEscalation(0.5) },
            [new CascadeTier(Single(), new CascadeTierOptions { EscalateWhen = new AgreementEscalation(0.5) })]);

        Assert.StartsWith("Cascade tier 2 is tested by 'agreement'", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true, true)]      // a vote asking for log-probabilities from a source that has them
    [InlineData(null, true, false)]  // log-probabilities not asked for
    [InlineData(0, false, false)]    // a source that cannot report them
    public void Constructor_LogprobTest_NeedsAVoteWhoseSamplesCarryLogprobs(int? topLogprobs, bool sourceHasLogprobs, bool accepted)
    {
        using var vote = new ChatClientBuilder(WithSource(sourceHasLogprobs))
            .UseMajorityVote(new FirstWordExtractor(), new Slingshot.Strategies.Sampling.RepeatedSamplingOptions { Count = 2, TopLogprobs = topLogprobs }).Build();

        var build = () => new CascadeChatClient(vote, new CascadeTierOptions { EscalateWhen = new MeanLogprobEscalation(-1) },
            [new CascadeTier(Single(), new CascadeTierOptions())]);

        if (accepted)
        {
            build().Dispose();
        }
        else
        {
            Assert.Contains("does not sample with log-probabilities", Assert.Throws<ArgumentException>(build).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void GetService_NestedCascade_ReportsOnlyWhatEveryTierReports()
    {
        var calls = new List<string>();
        using var votingThenSingle = new CascadeChatClient(Answering("a", "medium", 0.3, 1, 1, calls),
            new CascadeTierOptions { EscalateWhen = new AgreementEscalation(0.5) }, [new CascadeTier(Single(), new CascadeTierOptions())]);

        Assert.Equal(new ConfidenceSignals(Agreement: false, MeanLogprob: false), votingThenSingle.GetService<ConfidenceSignals>());
        Assert.Throws<ArgumentException>(() => new CascadeChatClient(votingThenSingle,
            new CascadeTierOptions { EscalateWhen = new AgreementEscalation(0.5) }, [new CascadeTier(Single(), new CascadeTierOptions())]));
    }
}
