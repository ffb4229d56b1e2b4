using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Cascades;

/// <summary>One tier a cascade tried, in the order tried.</summary>
/// <param name="Model">The tier's name (its options' name, else the model id that answered, else "tier N").</param>
/// <param name="Usage">Its tokens.</param>
/// <param name="Latency">Its wall time, escalation test included.</param>
/// <param name="EscalatedBecause">Why the cascade moved on from it; null for the tier whose answer was returned.</param>
public sealed record CascadeAttempt(string Model, UsageDetails? Usage, TimeSpan Latency, string? EscalatedBecause)
{
    /// <summary>Position of the tier in its cascade, 0 for the first.</summary>
    public int Tier { get; init; }

    /// <summary>Price of its tokens in US dollars, when the tier has a price.</summary>
    public double? CostUsd { get; init; }

    /// <summary>The score its escalation test gave (agreement, judge score, mean log-probability), when it has one.</summary>
    public double? Score { get; init; }

    /// <summary>
    /// The escalation test's reason for this tier: why it escalated, or why its answer was kept ("agreement 0.8
    /// at least 0.6", "last tier", "no escalation test").
    /// </summary>
    public string? Decision { get; init; }
}
