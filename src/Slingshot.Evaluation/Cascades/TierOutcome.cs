namespace Slingshot.Evaluation.Cascades;

/// <summary>What one tier did on one problem, replayed from the store.</summary>
/// <param name="Answer">The tier's answer (majority vote over its samples), null when none had one.</param>
/// <param name="Correct">Whether that answer is correct.</param>
/// <param name="Score">The escalation test's score of it; null escalates whatever the threshold.</param>
/// <param name="CostUsd">Price of the tier's calls.</param>
/// <param name="Tokens">Prompt and completion tokens of the tier's calls.</param>
/// <param name="LatencyMs">Wall time of the tier's calls.</param>
public sealed record TierOutcome(string? Answer, bool Correct, double? Score, double CostUsd, long Tokens, double LatencyMs);
