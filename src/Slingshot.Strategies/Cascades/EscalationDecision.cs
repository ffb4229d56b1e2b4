namespace Slingshot.Strategies.Cascades;

/// <summary>What an <see cref="IEscalationTest"/> found in a tier's answer.</summary>
/// <param name="Escalate">Whether the request should go on to the next tier.</param>
/// <param name="Score">The score the answer got (agreement, judge score, mean log-probability), when it has one.</param>
/// <param name="Reason">One readable line: why it escalated, or why the answer was kept.</param>
public sealed record EscalationDecision(bool Escalate, double? Score, string Reason);
