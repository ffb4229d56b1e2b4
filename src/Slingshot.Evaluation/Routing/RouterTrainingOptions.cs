using Slingshot.Strategies.Routing;

namespace Slingshot.Evaluation.Routing;

/// <summary>How <see cref="RouterTrainer"/> trains a router.</summary>
public sealed record RouterTrainingOptions
{
    /// <summary>The features.</summary>
    public PromptFeatureOptions Features { get; init; } = new();

    /// <summary>The classifier's training settings.</summary>
    public LogisticRegressionOptions Classifier { get; init; } = new();

    /// <summary>Share of training prompts the calibrated threshold sends to the large tier, in [0, 1].</summary>
    public double TargetLargeShare { get; init; } = 0.5;

    /// <summary>A note on where the data came from, kept in the router file.</summary>
    public string? TrainedOn { get; init; }
}
