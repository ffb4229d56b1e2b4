namespace Slingshot.Evaluation.Cascades;

/// <summary>A problem every tier's run answered, with each tier's outcome in cascade order.</summary>
/// <param name="ProblemId">Problem id shared by the runs.</param>
/// <param name="Tiers">One outcome per tier, cheapest first.</param>
public sealed record CascadeProblem(string ProblemId, IReadOnlyList<TierOutcome> Tiers);
