namespace Slingshot.Evaluation.Routing;

/// <summary>Progress of router training or evaluation.</summary>
/// <param name="Phase">What is being done ("featurize", "train", "score").</param>
/// <param name="Done">Items done in this phase.</param>
/// <param name="Total">Items in this phase.</param>
public sealed record RoutingProgress(string Phase, int Done, int Total);
