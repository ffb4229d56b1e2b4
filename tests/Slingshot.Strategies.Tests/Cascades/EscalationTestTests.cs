using Microsoft.Extensions.AI;
using Slingshot.Strategies.Cascades;
using Slingshot.Strategies.Tests.Middleware;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Cascades;

public sealed class EscalationTestTests
{
    /// <summary>A tier's typed result answering <paramref name="text"/>; a plain model's when <paramref name="outcome"/> is null.</summary>
    private static StrategyResult Response(string text, StrategyOutcome? outcome = null) =>
        new(new Sample { Index = 0, Text = text, Tokens = null, FinishReason = FinishReason.Stop, Seed = null }, new UsageDetails(),
            outcome ?? new StrategyOutcome { Reason = "a single response", SelectedIndex = 0 }, null);

    [Theory]
    [InlineData(0.8, 0.6, false)]
    [InlineData(0.6, 0.6, false)]
    [InlineData(0.4, 0.6, true)]
    public async Task Agreement_ComparedWithThreshold_EscalatesOnlyBelowIt(double agreement, double threshold, bool escalates)
    {
        var decision = await new AgreementEscalation(threshold).DecideAsync([], Response("x", new StrategyOutcome { Reason = "vote", Agreement = agreement }));

        Assert.Equal(escalates, decision.Escalate);
        Assert.Equal(agreement, decision.Score);
    }

    [Fact]
    public async Task Agreement_ResponseThatDidNotVote_CountsAsZero()
    {
        var decision = await new AgreementEscalation(0.01).DecideAsync([], Response("x"));

        Assert.True(decision.Escalate);
        Assert.Equal(0, decision.Score);
    }

    [Fact]
    public async Task MeanLogprob_ReadsTheSelectedCandidate()
    {
        IReadOnlyList<Sample> candidates =
        [
            FakeSampleSource.Sample(0, "a", -0.1, seed: 1),
            FakeSampleSource.Sample(1, "b", -2.5, seed: 2),
        ];
        var response = new StrategyResult(candidates[1], new UsageDetails(),
            new StrategyOutcome { Reason = "vote", Candidates = candidates, SelectedIndex = 1 }, null);

        var decision = await new MeanLogprobEscalation(-1).DecideAsync([], response);

        Assert.True(decision.Escalate);
        Assert.Equal(-2.5, decision.Score);
        Assert.Equal("mean logprob -2.5 below -1", decision.Reason);
    }

    [Fact]
    public async Task MeanLogprob_NoLogprobsReported_Escalates()
    {
        var decision = await new MeanLogprobEscalation(-100).DecideAsync([], Response("x"));

        Assert.True(decision.Escalate);
        Assert.Null(decision.Score);
    }

    [Fact]
    public async Task Verifier_FailingAnswer_EscalatesWithTheVerdictsReason()
    {
        var test = new VerifierEscalation(new RegexVerifier(@"^\d+$"));

        var failed = await test.DecideAsync([], Response("eighteen"));
        var passed = await test.DecideAsync([], Response("18"));

        Assert.True(failed.Escalate);
        Assert.Equal(0, failed.Score);
        Assert.StartsWith("regex failed", failed.Reason, StringComparison.Ordinal);
        Assert.False(passed.Escalate);
        Assert.Equal(1, passed.Score);
    }

    [Fact]
    public async Task Verifier_SeesTheVotedAnswer()
    {
        var verifier = new Selection.ScriptedVerifier();

        var decision = await new VerifierEscalation(verifier).DecideAsync([], Response("ok, 18", new StrategyOutcome { Reason = "vote", Answer = "18" }));

        Assert.False(decision.Escalate);
        var call = Assert.Single(verifier.Calls);
        Assert.Equal("ok, 18", call.Text);
        Assert.Equal("18", call.Context.Answer);
    }

    [Theory]
    [InlineData("0.9", 0.7, false)]
    [InlineData("0.55", 0.7, true)]
    public async Task Judge_ScoreBelowThreshold_Escalates(string judgeScore, double threshold, bool escalates)
    {
        var decision = await new JudgeScoreEscalation(new ScoringJudge(), threshold).DecideAsync([], Response(judgeScore));

        Assert.Equal(escalates, decision.Escalate);
        Assert.Equal(double.Parse(judgeScore, System.Globalization.CultureInfo.InvariantCulture), decision.Score);
    }

    [Fact]
    public async Task Judge_VerifierWithoutScores_UsesPassAsOneAndFailAsZero()
    {
        var decision = await new JudgeScoreEscalation(new RegexVerifier("ok"), 0.5).DecideAsync([], Response("ok"));

        Assert.False(decision.Escalate);
        Assert.Equal(1, decision.Score);
    }

    [Fact]
    public void Constructors_NaNThreshold_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgreementEscalation(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MeanLogprobEscalation(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JudgeScoreEscalation(new ScoringJudge(), double.NaN));
    }
}
