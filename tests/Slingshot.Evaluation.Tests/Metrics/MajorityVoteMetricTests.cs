using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Tests.Metrics;

public sealed class MajorityVoteMetricTests
{
    private static ProblemOutcome Problem(params (string? Answer, bool Correct)[] samples) =>
        new("p", samples.Select((s, i) => new SampleOutcome(i, s.Answer, s.Correct, null)).ToList());

    [Fact]
    public void MajorityCorrect_MostFrequentAnswerWins()
    {
        var problem = Problem(("17", false), ("18", true), ("18", true));
        Assert.True(problem.MajorityCorrect(3));
        Assert.False(problem.MajorityCorrect(1));
    }

    [Fact]
    public void MajorityCorrect_Tie_GoesToTheAnswerSeenFirst()
    {
        var wrongFirst = Problem(("17", false), ("18", true), ("18", true), ("17", false));
        var rightFirst = Problem(("18", true), ("17", false), ("17", false), ("18", true));
        Assert.False(wrongFirst.MajorityCorrect(4));
        Assert.True(rightFirst.MajorityCorrect(4));
        Assert.True(wrongFirst.MajorityCorrect(3)); // 18 leads 2-1 after three samples
    }

    [Fact]
    public void MajorityCorrect_UnextractableSamplesDoNotVote()
    {
        var problem = Problem((null, false), (null, false), ("18", true));
        Assert.True(problem.MajorityCorrect(3));
        Assert.False(problem.MajorityCorrect(2)); // no voters yet: wrong
    }

    [Fact]
    public void MajorityCorrect_WinnerIsJudgedByItsFirstSample()
    {
        // The grader may disagree with itself across samples of one answer; the first sample carrying the winning answer decides.
        var problem = Problem(("x", true), ("x", false));
        Assert.True(problem.MajorityCorrect(2));
    }

    [Fact]
    public void LogprobSelectedCorrect_HighestMeanLogprobWins_TiesToLowestIndex()
    {
        var problem = new ProblemOutcome("p", [new(0, "a", false, -2.0), new(1, "b", true, -0.5), new(2, "c", false, -0.5)]);
        Assert.True(problem.LogprobSelectedCorrect());
        Assert.Null(Problem(("a", true)).LogprobSelectedCorrect());
    }
}
