using Slingshot.Evaluation.Cascades;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Tests.Cascades;

public sealed class CascadeReportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slingshot-cascade-report-").FullName;
    private readonly RunStore _store;

    public CascadeReportTests()
    {
        _store = RunStore.Open(Path.Combine(_directory, "runs.db"));
        CascadeStoreBuilder.AddSyntheticTiers(_store, problems: 1000, k: 5, largeAccuracy: 0.95, seed: 11);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<CascadeDataset> LoadAsync() =>
        CascadeDataset.LoadAsync(_store, [new CascadeTierRun("small", 5), new CascadeTierRun("large", 1)], "agreement");

    [Fact]
    public async Task Calibrate_SameDistribution_TestSplitHoldsThePromise()
    {
        var report = CascadeReport.Calibrate(await LoadAsync(), CalibrationObjective.ReachAccuracy(0.85), 0.5, 1);

        Assert.Equal(1000, report.Development.Problems + report.Test.Problems);
        Assert.InRange(report.Development.Problems, 430, 570);
        Assert.True(report.Development.Accuracy >= 0.85);
        // With about 500 problems per split the realized figures stay within a few points of the promise.
        Assert.InRange(report.Test.Accuracy, report.Development.Accuracy - 0.05, report.Development.Accuracy + 0.05);
        Assert.InRange(report.Test.CostPerProblem, report.Development.CostPerProblem * 0.8, report.Development.CostPerProblem * 1.2);
        // The cascade is cheaper than asking the large tier for everything.
        Assert.True(report.Test.CostPerProblem < report.TiersAloneOnTest[1].CostPerProblem);
    }

    [Fact]
    public async Task Evaluate_TheCalibratedThresholds_ReproducesTheCalibrationReport()
    {
        var dataset = await LoadAsync();
        var calibrated = CascadeReport.Calibrate(dataset, CalibrationObjective.WithinBudget(0.005), 0.4, 9);

        var evaluated = CascadeReport.Evaluate(dataset, calibrated.Thresholds, 0.4, 9);

        Assert.Equal(calibrated.Test, evaluated.Test with { AnsweredShare = calibrated.Test.AnsweredShare, Thresholds = calibrated.Test.Thresholds });
        Assert.Equal(calibrated.Test.AnsweredShare, evaluated.Test.AnsweredShare);
        Assert.Null(evaluated.Calibration);
    }

    [Fact]
    public async Task ToConfig_CarriesThresholdsSamplesAndThePromise()
    {
        var report = CascadeReport.Calibrate(await LoadAsync(), CalibrationObjective.ReachAccuracy(0.9), 0.5, 3);

        var config = report.ToConfig("runs.db");

        config.Validate();
        Assert.Equal(["small", "large"], config.Tiers.Select(t => t.Name));
        Assert.Equal(report.Thresholds[0], config.Tiers[0].Threshold);
        Assert.Null(config.Tiers[1].Threshold);
        Assert.Equal(5, config.Tiers[0].Samples);
        Assert.Equal(report.Development.Accuracy, config.Calibration!.PromisedAccuracy);
        Assert.Equal(3, config.Calibration.SplitSeed);
        Assert.Contains("0.9", config.Calibration.Objective, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_WrongThresholdCount_Throws()
    {
        var dataset = await LoadAsync();

        Assert.Throws<ArgumentException>(() => CascadeReport.Evaluate(dataset, [0.5, 0.5], 0.5, 1));
    }
}
