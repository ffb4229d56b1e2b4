namespace Slingshot.Evaluation.Reports;

/// <summary>One candidate of a cost/accuracy trade-off.</summary>
/// <param name="Cost">Cost (lower is better); any unit, as long as all points share it.</param>
/// <param name="Accuracy">Accuracy (higher is better).</param>
/// <param name="Id">Identifies the candidate (a run id).</param>
public readonly record struct ParetoPoint(double Cost, double Accuracy, string Id);
