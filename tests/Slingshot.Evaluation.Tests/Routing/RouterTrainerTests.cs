using Slingshot.Evaluation.Routing;
using Slingshot.Strategies.Routing;

namespace Slingshot.Evaluation.Tests.Routing;

public sealed class RouterTrainerTests
{
    [Fact]
    public void CalibrateThreshold_HalfOfFour_SecondHighestScore()
    {
        double[] scores = [0.1, 0.9, 0.5, 0.7];

        Assert.Equal(0.7, RouterTrainer.CalibrateThreshold(scores, 0.5));
        Assert.Equal(0.1, RouterTrainer.CalibrateThreshold(scores, 1));
        Assert.True(RouterTrainer.CalibrateThreshold(scores, 0) > 0.9);
    }

    [Fact]
    public async Task TrainAsync_RouteLlmMmlu_BeatsRandomOnHeldOutAndHitsTargetShareOnTraining()
    {
        var examples = RouteLlmData.Load(RouteLlmDataTests.ResponsesFolder);
        var (train, heldOut) = RoutingSplit.Split(examples, 0.2);
        var options = new RouterTrainingOptions
        {
            Features = new PromptFeatureOptions { HashBits = 12 },
            Classifier = new LogisticRegressionOptions { Epochs = 4 },
            TargetLargeShare = 0.3,
        };
        var phases = new List<string>();

        var file = await RouterTrainer.TrainAsync(train, options, progress: new SyncProgress(p => phases.Add(p.Phase)));
        var router = new PromptRouter(file);
        var trainScores = await RouterTrainer.ScoreAsync(router, train);
        var heldOutScores = await RouterTrainer.ScoreAsync(router, heldOut);
        var evaluation = RoutingEvaluation.Compute(heldOut, heldOutScores, file.Threshold);

        Assert.Equal(0.3, trainScores.Count(s => s >= file.Threshold) / (double)train.Count, 2);
        Assert.InRange(evaluation.OperatingPoint.LargeShare, 0.2, 0.4);
        Assert.True(evaluation.Router.Apgr > 0.53, $"APGR {evaluation.Router.Apgr:0.000} should beat random (0.5) clearly");
        Assert.True(evaluation.Router.Cpt50 < 0.5, $"CPT(50%) {evaluation.Router.Cpt50:0.000} should beat random (0.5)");
        Assert.Contains("featurize", phases);
        Assert.Contains("train", phases);
    }

    private sealed class SyncProgress(Action<RoutingProgress> report) : IProgress<RoutingProgress>
    {
        public void Report(RoutingProgress value) => report(value);
    }
}
