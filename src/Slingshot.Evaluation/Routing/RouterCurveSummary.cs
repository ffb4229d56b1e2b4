namespace Slingshot.Evaluation.Routing;

/// <summary>A router's cost-quality curve and the numbers RouteLLM summarizes it with.</summary>
/// <param name="Name">"router" or "random".</param>
/// <param name="Apgr">Average performance gap recovered (area under PGR against large-call share).</param>
/// <param name="Cpt50">Least large-call share recovering 50% of the gap.</param>
/// <param name="Cpt80">Least large-call share recovering 80% of the gap.</param>
/// <param name="Curve">The curve at every 1% of large-call share (the nearest achievable point).</param>
public sealed record RouterCurveSummary(string Name, double Apgr, double Cpt50, double Cpt80, IReadOnlyList<CurvePoint> Curve)
{
    /// <summary>Summarizes a full curve (n + 1 points), keeping 101 of its points.</summary>
    public static RouterCurveSummary Of(string name, IReadOnlyList<CurvePoint> curve) => new(
        name,
        RoutingMetrics.Apgr(curve),
        RoutingMetrics.Cpt(curve, 0.5),
        RoutingMetrics.Cpt(curve, 0.8),
        Enumerable.Range(0, 101).Select(p => RoutingMetrics.At(curve, p / 100.0)).ToList());
}
