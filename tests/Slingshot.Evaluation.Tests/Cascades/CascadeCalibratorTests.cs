using Slingshot.Evaluation.Cascades;

namespace Slingshot.Evaluation.Tests.Cascades;

public sealed class CascadeCalibratorTests
{
    /// <summary>Problems where a higher small-tier score means more often right; the large tier is right 95% of the time.</summary>
    private static List<CascadeProblem> Generated(int count, int seed, int tiers = 2)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var outcomes = new List<TierOutcome>();
            for (var t = 0; t < tiers - 1; t++)
            {
                var score = Math.Round(random.NextDouble(), 2);
                outcomes.Add(new TierOutcome(null, random.NextDouble() < score, score, Math.Pow(10, t), 1, 1));
            }
            outcomes.Add(new TierOutcome(null, random.NextDouble() < 0.95, null, Math.Pow(10, tiers - 1), 1, 1));
            return new CascadeProblem($"p{i}", outcomes);
        })];
    }

    [Fact]
    public void Calibrate_TargetAccuracy_ChoosesTheCheapestThresholdThatReachesIt()
    {
        var problems = Generated(300, seed: 1);

        var calibration = CascadeCalibrator.Calibrate(problems, CalibrationObjective.ReachAccuracy(0.85));

        Assert.True(calibration.ObjectiveMet);
        Assert.True(calibration.Chosen.Accuracy >= 0.85);
        // Exhaustive: no threshold on a fine grid is cheaper while still reaching the target.
        for (var t = 0.0; t <= 1.01; t += 0.005)
        {
            var other = CascadeSimulator.Simulate(problems, [t]);
            Assert.False(other.Accuracy >= 0.85 && other.CostPerProblem < calibration.Chosen.CostPerProblem - 1e-12,
                $"threshold {t} reaches {other.Accuracy} at {other.CostPerProblem}, cheaper than the chosen {calibration.Chosen.CostPerProblem}");
        }
    }

    [Fact]
    public void Calibrate_Budget_ChoosesTheMostAccurateThresholdWithinIt()
    {
        var problems = Generated(300, seed: 2);

        var calibration = CascadeCalibrator.Calibrate(problems, CalibrationObjective.WithinBudget(5));

        Assert.True(calibration.ObjectiveMet);
        Assert.True(calibration.Chosen.CostPerProblem <= 5);
        for (var t = 0.0; t <= 1.01; t += 0.005)
        {
            var other = CascadeSimulator.Simulate(problems, [t]);
            Assert.False(other.CostPerProblem <= 5 && other.Accuracy > calibration.Chosen.Accuracy + 1e-12, $"threshold {t} is more accurate within budget");
        }
    }

    [Fact]
    public void Calibrate_UnreachableTarget_SaysSoAndChoosesTheMostAccurate()
    {
        var problems = Generated(100, seed: 3);

        var calibration = CascadeCalibrator.Calibrate(problems, CalibrationObjective.ReachAccuracy(1.0));

        Assert.False(calibration.ObjectiveMet);
        Assert.Equal(calibration.Frontier.Max(r => r.Accuracy), calibration.Chosen.Accuracy);
    }

    [Fact]
    public void Calibrate_BudgetBelowTheFirstTier_ChoosesTheCheapest()
    {
        var calibration = CascadeCalibrator.Calibrate(Generated(50, seed: 4), CalibrationObjective.WithinBudget(0.5));

        Assert.False(calibration.ObjectiveMet);
        Assert.Equal(1, calibration.Chosen.CostPerProblem);
    }

    [Fact]
    public void Calibrate_ThreeTiers_SearchesBothThresholds()
    {
        var problems = Generated(120, seed: 5, tiers: 3);

        var calibration = CascadeCalibrator.Calibrate(problems, CalibrationObjective.ReachAccuracy(0.8));

        Assert.Equal(2, calibration.Chosen.Thresholds.Count);
        Assert.Equal(3, calibration.Chosen.AnsweredShare.Count);
        Assert.True(calibration.CandidatesTried > 100);
        Assert.True(calibration.Chosen.Accuracy >= 0.8);
    }

    [Fact]
    public void Frontier_IsCheapestFirstAndStrictlyMoreAccurate()
    {
        var frontier = CascadeCalibrator.Calibrate(Generated(200, seed: 6), CalibrationObjective.ReachAccuracy(0.9)).Frontier;

        for (var i = 1; i < frontier.Count; i++)
        {
            Assert.True(frontier[i].CostPerProblem >= frontier[i - 1].CostPerProblem);
            Assert.True(frontier[i].Accuracy > frontier[i - 1].Accuracy);
        }
    }

    [Fact]
    public void CandidateThresholds_AreTheDistinctScoresPlusOneThatAlwaysEscalates()
    {
        IReadOnlyList<CascadeProblem> problems =
        [
            new("a", [new(null, true, 0.5, 1, 1, 1), new(null, true, null, 1, 1, 1)]),
            new("b", [new(null, true, 0.25, 1, 1, 1), new(null, true, null, 1, 1, 1)]),
            new("c", [new(null, true, 0.5, 1, 1, 1), new(null, true, null, 1, 1, 1)]),
        ];

        var candidates = CascadeCalibrator.CandidateThresholds(problems, 0);

        Assert.Equal(3, candidates.Count);
        Assert.Equal([0.25, 0.5], candidates.Take(2));
        Assert.Equal(0.501, candidates[2], 12);
        Assert.Equal([0.0, 1.0], CascadeSimulator.Simulate(problems, [candidates[2]]).AnsweredShare);
    }

    [Fact]
    public void Objective_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationObjective.ReachAccuracy(1.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationObjective.WithinBudget(-1));
    }

    [Fact]
    public void Calibrate_WithConfidence_ChoosesAThresholdAtLeastAsSafeAsWithout()
    {
        var problems = Generated(200, seed: 7);

        var plain = CascadeCalibrator.Calibrate(problems, CalibrationObjective.ReachAccuracy(0.85));
        var safe = CascadeCalibrator.Calibrate(problems, CalibrationObjective.ReachAccuracy(0.85, confidence: 0.95));

        Assert.True(safe.Chosen.Accuracy > plain.Chosen.Accuracy);
        Assert.True(safe.Chosen.CostPerProblem >= plain.Chosen.CostPerProblem);
        Assert.True(CalibrationObjective.WilsonLowerBound(safe.Chosen.Accuracy, safe.Chosen.Problems, 0.95) >= 0.85);
    }

    [Theory]
    [InlineData(0.9, 100, 0.95, 0.8396)]
    [InlineData(0.5, 20, 0.9, 0.3623)]
    [InlineData(1.0, 50, 0.95, 0.9487)]
    public void WilsonLowerBound_MatchesTheFormula(double share, int n, double confidence, double expected)
    {
        Assert.Equal(expected, CalibrationObjective.WilsonLowerBound(share, n, confidence), 3);
    }

    [Theory]
    [InlineData(1.0, 1.001)]
    [InlineData(-0.06934, -0.069)]
    [InlineData(-3.5, -3.499)]
    public void CandidateThresholds_AlwaysEscalateCandidate_ReadsAsANumberAboveTheHighestScore(double highest, double expected)
    {
        IReadOnlyList<CascadeProblem> problems = [new("a", [new(null, true, highest, 1, 1, 1), new(null, true, null, 1, 1, 1)])];

        var candidates = CascadeCalibrator.CandidateThresholds(problems, 0);

        Assert.Equal(expected, candidates[^1], 12);
        Assert.True(candidates[^1] > highest);
    }
}
