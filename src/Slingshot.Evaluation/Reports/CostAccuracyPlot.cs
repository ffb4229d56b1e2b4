using Slingshot.Evaluation.Reports.Plotting;

namespace Slingshot.Evaluation.Reports;

/// <summary>Accuracy against cost per problem for the runs of one task, with their Pareto front.</summary>
internal static class CostAccuracyPlot
{
    private const string FrontColor = "#374151";

    /// <summary>Renders the plot as an &lt;svg&gt; element.</summary>
    public static string Render(TaskGroup group, CostComparison comparison)
    {
        var positive = comparison.Points.Select(p => p.Cost).Where(c => c > 0).ToList();
        var x = PlotAxis.LogRange(
            positive.DefaultIfEmpty(1).Min(),
            positive.DefaultIfEmpty(1).Max(),
            hasZero: comparison.Points.Any(p => p.Cost == 0),
            CostBases.AxisLabel(comparison.Basis),
            value => CostBases.FormatTick(comparison.Basis, value));
        var y = PlotAxis.Percent($"Accuracy ({group.SelectedAccuracyName})");
        var plot = new SvgPlot($"Accuracy vs. cost — {group.Title}", x, y);

        var front = comparison.Front;
        if (front.Count > 0)
        {
            // The staircase of the best accuracy reachable for a given cost: flat until the next front point.
            var steps = new List<PlotPoint> { new(front[0].Cost, front[0].Accuracy) };
            for (var i = 1; i < front.Count; i++)
            {
                steps.Add(new PlotPoint(front[i].Cost, front[i - 1].Accuracy));
                steps.Add(new PlotPoint(front[i].Cost, front[i].Accuracy));
            }
            steps.Add(new PlotPoint(x.Max, front[^1].Accuracy));
            plot.Add(new PlotSeries
            {
                Color = FrontColor, Points = steps, Marker = MarkerShape.None, LineWidth = 2, LineOpacity = 0.55,
                LegendLabel = "Pareto front",
            });
        }
        foreach (var (row, cost, accuracy) in comparison.Points)
        {
            var onFront = comparison.IsOnFront(row);
            var tooltip = $"{row.Label}: {ReportFormatting.Percent(accuracy)} at {CostBases.Format(comparison.Basis, cost)} per problem"
                + (onFront ? " (Pareto front)" : "");
            plot.Add(new PlotSeries
            {
                Color = row.Color,
                Points = [new PlotPoint(cost, accuracy, tooltip)],
                Line = LineStyle.None,
                MarkerRadius = 7,
                Ringed = onFront,
            });
            plot.Add(new PlotLabel(new PlotPoint(cost, accuracy), row.Label));
        }
        return plot.Render();
    }
}
