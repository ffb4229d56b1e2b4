namespace Slingshot.Strategies.Routing;

/// <summary>Where a router sends a request.</summary>
public enum RouteTier
{
    /// <summary>The small, cheap model.</summary>
    Small,

    /// <summary>The large, expensive model.</summary>
    Large,
}
