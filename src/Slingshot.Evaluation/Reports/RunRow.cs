using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Reports;

/// <summary>One run as every report format shows it: its summary plus the values derived from it.</summary>
internal sealed record RunRow
{
    /// <summary>The summary.</summary>
    public required RunSummary Run { get; init; }

    /// <summary>Position in the report input; picks the run's color.</summary>
    public required int Index { get; init; }

    /// <summary>Short human label: the model, with the sample count, and the run id where needed to tell runs apart.</summary>
    public required string Label { get; init; }

    /// <summary>Series color.</summary>
    public string Color => ReportPalette.ColorFor(Index);

    /// <summary>Coverage at k = 1 (pass@1), when the curve has that point.</summary>
    public double? CoverageAt1 => Run.Curve.FirstOrDefault(p => p.K == 1)?.Coverage;

    /// <summary>
    /// The accuracy a cost comparison uses: maj@n; for tasks without answers to vote on (code), the accuracy of
    /// the first sample passing the verifier, i.e. coverage at n, since all n samples were paid for.
    /// </summary>
    public double? SelectedAccuracy => Run.MajorityAtN ?? Run.VerifierSelectedAccuracy ?? (Run.Curve.Count > 0 ? Run.Curve[^1].Coverage : null);

    /// <summary>Samples the fit predicts for a coverage share (0..1).</summary>
    public double? SamplesFor(double coverage) => Run.Fit?.SamplesFor(coverage);

    /// <summary>Builds rows for all runs, labelling duplicates apart.</summary>
    public static IReadOnlyList<RunRow> For(IReadOnlyList<RunSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var baseLabels = runs.Select(r => $"{r.Settings.Model} · k={r.SamplesPerProblem}").ToList();
        var rows = new List<RunRow>(runs.Count);
        for (var i = 0; i < runs.Count; i++)
        {
            var label = baseLabels[i];
            // Same model, same k (say, two temperatures): the run id is what tells them apart.
            if (baseLabels.Count(l => l == label) > 1)
            {
                label = $"{label} · {runs[i].RunId}";
            }
            rows.Add(new RunRow { Run = runs[i], Index = i, Label = label });
        }
        return rows;
    }
}
