using Slingshot.Evaluation.Cascades;

namespace Slingshot.Evaluation.Tests.Cascades;

public sealed class ProblemSplitTests
{
    private static List<CascadeProblem> Problems(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new CascadeProblem($"task/{i}", [new TierOutcome(null, true, 1, 0, 0, 0)]))];

    [Fact]
    public void Split_SameSeed_SameSplitWhateverTheOtherProblems()
    {
        var (all, _) = ProblemSplit.Split(Problems(400), 0.5, 3);
        var (some, _) = ProblemSplit.Split(Problems(100), 0.5, 3);

        Assert.Equal(all.Where(p => int.Parse(p.ProblemId[5..], System.Globalization.CultureInfo.InvariantCulture) < 100).Select(p => p.ProblemId),
            some.Select(p => p.ProblemId));
    }

    [Fact]
    public void Split_Fraction_IsRoughlyHonoredAndSeedsDiffer()
    {
        var (development, test) = ProblemSplit.Split(Problems(2000), 0.3, 1);
        var (other, _) = ProblemSplit.Split(Problems(2000), 0.3, 2);

        Assert.Equal(2000, development.Count + test.Count);
        Assert.InRange(development.Count, 520, 680);
        Assert.NotEqual(development.Select(p => p.ProblemId), other.Select(p => p.ProblemId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(double.NaN)]
    public void Split_FractionOutsideZeroToOne_Throws(double fraction)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProblemSplit.Split(Problems(10), fraction, 1));
    }
}
