using Slingshot.Strategies.Judging;
using Slingshot.Strategies.Selection;
using Slingshot.Strategies.Tests.Middleware;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Judging;

public sealed class BestScoredTests(StoriesChatFixture fixture) : IClassFixture<StoriesChatFixture>
{
    [Fact]
    public void Select_Scores_HighestWinsAndTiesGoToTheFirst()
    {
        var result = BestScored.Select([0.2, 0.9, null, 0.9]);

        Assert.Equal(1, result.Index);
        Assert.Equal(0.9, result.Confidence);
    }

    [Fact]
    public void Select_NoScores_ChoosesNothing()
    {
        Assert.False(BestScored.Select([null, double.NaN]).HasSelection);
        Assert.Equal("no samples", BestScored.Select([]).Reason);
    }

    [Fact]
    public async Task SelectAsync_JudgeModel_ChoosesTheCandidateWithHighestPYes()
    {
        var judge = new JudgeVerifier(fixture.Engine, new JudgeOptions
        {
            Template = JudgeTemplate.Custom("{candidate}"),
            PromptFormat = JudgePromptFormat.Raw,
            YesWords = ["he"],
            NoWords = ["she"],
        });
        string[] candidates =
        [
            "Once upon a time, there was a little girl named Lily. One day,",
            "Once upon a time, there was a little boy named Tim. One day,",
            "Once upon a time, there was a girl named Sue. Sue liked her mom. One day,",
        ];

        var result = await BestScored.SelectAsync(candidates, judge, _ => VerificationContext.Empty, maxParallelism: 3);

        var scores = result.Verdicts.Select(v => v.Score!.Value).ToList();
        Assert.Equal(scores.IndexOf(scores.Max()), result.Selection.Index);
        Assert.Equal(1, result.Selection.Index);
    }

    [Fact]
    public void ScoreOf_PassFailVerdicts_CountOneOrZero()
    {
        Assert.Equal(1, BestScored.ScoreOf(Verdict.Pass("ok")));
        Assert.Equal(0, BestScored.ScoreOf(Verdict.Fail("no")));
        Assert.Equal(0.3, BestScored.ScoreOf(Verdict.Pass("ok") with { Score = 0.3 }));
    }
}
