namespace Slingshot.Evaluation.Reports;

/// <summary>The cost/accuracy Pareto front: the candidates no other candidate beats on both counts.</summary>
public static class ParetoFront
{
    /// <summary>
    /// Returns the points not dominated by another, sorted by cost (then accuracy, descending, then id).
    /// A point is dominated when another costs no more and is at least as accurate, and is strictly better on
    /// one of the two. Points with a non-finite cost or accuracy cannot be compared and are left out; exact
    /// duplicates dominate neither each other, so both stay.
    /// </summary>
    public static IReadOnlyList<ParetoPoint> Of(IEnumerable<ParetoPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var sorted = points
            .Where(p => double.IsFinite(p.Cost) && double.IsFinite(p.Accuracy))
            .OrderBy(p => p.Cost)
            .ThenByDescending(p => p.Accuracy)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList();

        // Sweeping by increasing cost, a point is on the front exactly when it beats the best accuracy of every
        // cheaper point, or ties the front point it shares both cost and accuracy with.
        var front = new List<ParetoPoint>();
        var bestAccuracy = double.NegativeInfinity;
        foreach (var point in sorted)
        {
            if (point.Accuracy > bestAccuracy)
            {
                front.Add(point);
                bestAccuracy = point.Accuracy;
            }
            else if (front.Count > 0 && front[^1].Cost == point.Cost && front[^1].Accuracy == point.Accuracy)
            {
                front.Add(point);
            }
        }
        return front;
    }
}
