namespace Slingshot.Strategies.Routing;

/// <summary>A router's choice for one prompt.</summary>
/// <param name="Tier">Where the request goes.</param>
/// <param name="Score">P(the small tier fails) as the classifier estimates it.</param>
/// <param name="Threshold">The score at or above which requests go to the large tier.</param>
public sealed record RouteDecision(RouteTier Tier, double Score, double Threshold);
