namespace Slingshot.Strategies.Cascades;

/// <summary>How a cascade treats one tier: what it is called, what it costs, and when to move past it.</summary>
public sealed record CascadeTierOptions
{
    /// <summary>Name reported for this tier's attempts; the response's model id (or "tier N") when null.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// When to send the request on to the next tier; null never escalates. On the last tier the test still
    /// runs, so its score is reported, but there is nowhere to escalate to.
    /// </summary>
    public IEscalationTest? EscalateWhen { get; init; }

    /// <summary>Price of this tier's tokens; null reports no cost for it.</summary>
    public TokenPrice? Price { get; init; }
}
