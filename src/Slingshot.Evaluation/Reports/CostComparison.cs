namespace Slingshot.Evaluation.Reports;

/// <summary>Accuracy against cost for the runs of one task, with the Pareto front across them.</summary>
internal sealed class CostComparison
{
    private CostComparison(CostBasis basis, IReadOnlyList<(RunRow Row, double Cost, double Accuracy)> points,
        IReadOnlyList<RunRow> unplotted, IReadOnlySet<int> front)
    {
        Basis = basis;
        Points = points;
        Unplotted = unplotted;
        FrontIndices = front;
    }

    /// <summary>The cost measure.</summary>
    public CostBasis Basis { get; }

    /// <summary>Runs with a finite cost and an accuracy, in input order.</summary>
    public IReadOnlyList<(RunRow Row, double Cost, double Accuracy)> Points { get; }

    /// <summary>Runs that cannot be placed: cost not finite or no accuracy.</summary>
    public IReadOnlyList<RunRow> Unplotted { get; }

    /// <summary>Input indices of the runs on the front.</summary>
    public IReadOnlySet<int> FrontIndices { get; }

    /// <summary>The front's points, sorted by cost.</summary>
    public IReadOnlyList<(RunRow Row, double Cost, double Accuracy)> Front =>
        Points.Where(p => FrontIndices.Contains(p.Row.Index)).OrderBy(p => p.Cost).ThenByDescending(p => p.Accuracy).ToList();

    /// <summary>Whether the run is on the front.</summary>
    public bool IsOnFront(RunRow row) => FrontIndices.Contains(row.Index);

    /// <summary>Places the runs of <paramref name="group"/>.</summary>
    public static CostComparison Of(TaskGroup group)
    {
        var basis = CostBases.Choose(group.Rows.Select(r => r.Run));
        var points = new List<(RunRow, double, double)>();
        var unplotted = new List<RunRow>();
        foreach (var row in group.Rows)
        {
            var cost = CostBases.CostOf(row.Run, basis);
            if (row.SelectedAccuracy is { } accuracy && double.IsFinite(accuracy) && double.IsFinite(cost) && cost >= 0)
            {
                points.Add((row, cost, accuracy));
            }
            else
            {
                unplotted.Add(row);
            }
        }
        var front = ParetoFront.Of(points.Select(p => new ParetoPoint(p.Item2, p.Item3, p.Item1.Index.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var indices = front.Select(p => int.Parse(p.Id, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        return new CostComparison(basis, points, unplotted, indices);
    }
}
