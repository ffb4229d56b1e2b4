namespace Slingshot.Evaluation.Routing;

/// <summary>One point of a cost-quality curve.</summary>
/// <param name="LargeShare">Share of prompts sent to the large tier, in [0, 1] (the cost axis, as in RouteLLM).</param>
/// <param name="Accuracy">Share of prompts answered correctly by the tier each was sent to.</param>
/// <param name="Pgr">Performance gap recovered: (accuracy − small accuracy) / (large accuracy − small accuracy).</param>
public sealed record CurvePoint(double LargeShare, double Accuracy, double Pgr);
