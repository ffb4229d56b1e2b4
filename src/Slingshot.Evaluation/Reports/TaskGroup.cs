namespace Slingshot.Evaluation.Reports;

/// <summary>The runs of one task version: the unit results are compared within.</summary>
/// <param name="Task">Task name.</param>
/// <param name="Version">Task version.</param>
/// <param name="Rows">Its runs, in input order.</param>
internal sealed record TaskGroup(string Task, string Version, IReadOnlyList<RunRow> Rows)
{
    /// <summary>Heading text: "gsm8k (v1)".</summary>
    public string Title => string.IsNullOrEmpty(Version) ? Task : $"{Task} ({Version})";

    /// <summary>Groups rows by task and version, in order of first appearance.</summary>
    public static IReadOnlyList<TaskGroup> Of(IReadOnlyList<RunRow> rows) => rows
        .GroupBy(r => (r.Run.Settings.Task, r.Run.Settings.TaskVersion))
        .Select(g => new TaskGroup(g.Key.Task, g.Key.TaskVersion, g.ToList()))
        .ToList();

    /// <summary>Accuracy measure of the cost comparison, depending on which runs have majority votes.</summary>
    public string SelectedAccuracyName
    {
        get
        {
            var withVotes = Rows.Count(r => r.Run.MajorityAtN is not null);
            return withVotes == Rows.Count ? "maj@n"
                : withVotes == 0 ? "verifier-selected, pass@n"
                : "maj@n, else verifier-selected";
        }
    }
}
