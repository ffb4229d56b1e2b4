using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Tests.Metrics;

public sealed class RunComparisonTests
{
    private static RunSettings Settings(string model) => new() { Model = model, Task = "t", TaskVersion = "t@1" };

    private static ProblemOutcome Problem(string id, params bool[] verdicts) =>
        new(id, verdicts.Select((c, i) => new SampleOutcome(i, c ? "right" : $"wrong{i}", c, null)).ToList());

    [Fact]
    public void Compare_SmallModelCatchesUpAtHandComputedK()
    {
        // Small model: 4 problems x 4 samples; correct counts 1, 1, 2, 0. Large model: pass@1 = 0.75.
        var small = new[] { Problem("a", true, false, false, false), Problem("b", false, false, false, true), Problem("c", true, true, false, false), Problem("d", false, false, false, false) };
        var smallSummary = RunMetrics.Summarize("small", Settings("small"), small, true, new CostSummary { PriceUsd = 0.4 }, default);
        var large = new[] { Problem("a", true), Problem("b", true), Problem("c", true), Problem("d", false) };
        var largeSummary = RunMetrics.Summarize("large", Settings("large"), large, true, new CostSummary { PriceUsd = 2.0 }, default);

        var comparison = RunComparison.Compare(smallSummary, small, largeSummary, large);

        // coverage(k): k=1 0.25+0.25+0.5 /4 = 0.25; k=2 (0.5+0.5+5/6)/4 = 0.458; k=3 (0.75+0.75+1)/4 = 0.625; k=4 0.75.
        Assert.Equal(0.75, comparison.Coverage.Target);
        Assert.Equal(4, comparison.Coverage.K);
        Assert.Equal("usd", comparison.CostUnit);
        Assert.Equal(0.1 * 4 / 4 / 0.5, comparison.Coverage.CostRatio!.Value, 12);
        // maj@k never reaches 0.75: wrong answers are all distinct, so the first-seen rule picks sample 0 at every tie.
        Assert.Null(comparison.MajorityVote!.K);
    }

    [Fact]
    public void Compare_TargetBeyondTheSamples_UsesTheFitPrediction()
    {
        var small = Enumerable.Range(0, 10).Select(i => Problem($"p{i}", i < 2, i == 3, false, false)).ToList();
        var smallSummary = RunMetrics.Summarize("small", Settings("small"), small, true, new CostSummary { Flops = 10 }, default);
        var large = Enumerable.Range(0, 10).Select(i => Problem($"p{i}", i < 9)).ToList();
        var largeSummary = RunMetrics.Summarize("large", Settings("large"), large, true, new CostSummary { Flops = 1000 }, default);

        var comparison = RunComparison.Compare(smallSummary, small, largeSummary, large);

        Assert.Null(comparison.Coverage.K);
        Assert.NotNull(smallSummary.Fit);
        Assert.Equal(smallSummary.Fit!.SamplesFor(0.9), comparison.Coverage.PredictedK);
        Assert.Equal("flops", comparison.CostUnit);
    }

    [Fact]
    public void Compare_ReferenceWithSeveralSamples_PricesItPerSample_AndOnlySharedProblemsCount()
    {
        var small = new[] { Problem("a", true, false), Problem("b", false, true), Problem("c", true, true) };
        var smallSummary = RunMetrics.Summarize("small", Settings("small"), small, true, new CostSummary { PriceUsd = 0.3 }, default);
        var large = new[] { Problem("a", true, true), Problem("b", true, true) }; // two samples each, problem c not drawn
        var largeSummary = RunMetrics.Summarize("large", Settings("large"), large, true, new CostSummary { PriceUsd = 4.0 }, default);

        var comparison = RunComparison.Compare(smallSummary, small, largeSummary, large);

        Assert.Equal(2, comparison.SharedProblems);
        Assert.Equal(1.0, comparison.Coverage.Target);
        Assert.Equal(2, comparison.Coverage.K);
        // Small: $0.1 per problem for 2 samples -> $0.1 at k = 2. Large: $2 per problem for 2 samples -> $1 per sample.
        Assert.Equal(0.1, comparison.Coverage.CostRatio!.Value, 12);
    }

    [Fact]
    public void Compare_DifferentTasks_IsRefused()
    {
        var small = new[] { Problem("a", true) };
        var summary = RunMetrics.Summarize("s", Settings("small"), small, true, new CostSummary(), default);
        var other = RunMetrics.Summarize("o", Settings("large") with { Task = "other" }, small, true, new CostSummary(), default);
        Assert.Contains("different tasks", Assert.Throws<ArgumentException>(() => RunComparison.Compare(summary, small, other, small)).Message);
    }
}
