using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Tests.Metrics;

public sealed class RunMetricsTests
{
    private static readonly RunSettings Settings = new() { Model = "m", Task = "t", TaskVersion = "t@1", SamplesPerProblem = 4 };

    private static ProblemOutcome Problem(string id, params (string? Answer, bool Correct)[] samples) =>
        new(id, samples.Select((s, i) => new SampleOutcome(i, s.Answer, s.Correct, -i)).ToList());

    [Fact]
    public void Summarize_KnownVerdicts_GiveHandComputedCurve()
    {
        var problems = new[]
        {
            Problem("a", ("1", true), ("2", false), ("1", true), ("1", true)),    // c = 3
            Problem("b", ("2", false), ("3", true), ("2", false), ("4", false)),  // c = 1, majority 2 (wrong)
            Problem("c", (null, false), (null, false), (null, false), (null, false)),
        };
        var summary = RunMetrics.Summarize("r", Settings, problems, hasAnswers: true, new CostSummary { PriceUsd = 3, Flops = 300 }, DateTimeOffset.UnixEpoch);

        Assert.Equal([1, 2, 4], summary.Curve.Select(p => p.K));
        Assert.Equal((0.75 + 0.25 + 0) / 3, summary.Curve[0].Coverage, 12);
        Assert.Equal((1.0 + 0.5 + 0) / 3, summary.Curve[1].Coverage, 12); // b: 1 - C(3,2)/C(4,2) = 0.5
        Assert.Equal(2.0 / 3, summary.Curve[2].Coverage, 12);
        Assert.Equal(1.0 / 3, summary.Curve[0].MajorityVote!.Value, 12);
        Assert.Equal(1.0 / 3, summary.Curve[2].MajorityVote!.Value, 12);
        Assert.Equal(2.0 / 3, summary.VerifierSelectedAccuracy!.Value, 12);
        Assert.Equal(1.0 / 3, summary.LogprobSelectedAccuracy!.Value, 12); // sample 0 has the highest logprob (0)
        Assert.Equal(1, summary.Cost.Solved);
        Assert.Equal(3, summary.Cost.Problems);
        Assert.Equal(1.0, summary.Cost.PricePerProblem, 12);
        Assert.Equal(3.0, summary.Cost.PricePerSolved, 12);
        Assert.Equal(2.0 / 3 - 1.0 / 3, summary.SelectionGap!.Value, 12);
    }

    [Fact]
    public void Summarize_UnevenSampleCounts_ReportUpToTheSmallest()
    {
        var problems = new[] { Problem("a", ("1", true), ("1", true), ("1", true), ("1", true)), Problem("b", ("1", false), ("1", false)) };
        var summary = RunMetrics.Summarize("r", Settings, problems, hasAnswers: true, new CostSummary(), DateTimeOffset.UnixEpoch);
        Assert.Equal(2, summary.SamplesPerProblem);
        Assert.Equal([1, 2], summary.Curve.Select(p => p.K));
    }

    [Fact]
    public void Summarize_CodeTask_HasNoMajorityVote_AndSolvedMeansAnyPassed()
    {
        var problems = new[] { Problem("a", (null, false), (null, true)), Problem("b", (null, false), (null, false)) };
        var summary = RunMetrics.Summarize("r", Settings, problems, hasAnswers: false, new CostSummary(), DateTimeOffset.UnixEpoch);
        Assert.All(summary.Curve, p => Assert.Null(p.MajorityVote));
        Assert.Equal(1, summary.Cost.Solved);
        Assert.Null(summary.SelectionGap);
    }

    [Fact]
    public void Summarize_NoSamples_GivesAnEmptyCurve()
    {
        var summary = RunMetrics.Summarize("r", Settings, [], hasAnswers: true, new CostSummary(), DateTimeOffset.UnixEpoch);
        Assert.Empty(summary.Curve);
        Assert.Equal(0, summary.Problems);
        Assert.Equal(double.PositiveInfinity, summary.Cost.PricePerSolved);
    }
}
