using System.Globalization;
using System.Text;

namespace Slingshot.Evaluation.Reports;

/// <summary>
/// Renders report data as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line
/// break quoted, quotes doubled). Numbers are culture-invariant; missing or non-finite values are empty fields.
/// </summary>
public static class CsvReport
{
    /// <summary>Columns of <see cref="RenderCurve"/>.</summary>
    public static IReadOnlyList<string> CurveColumns { get; } = ["runId", "model", "task", "k", "coverage", "majAtK"];

    /// <summary>Columns of <see cref="RenderRuns"/>.</summary>
    public static IReadOnlyList<string> RunColumns { get; } =
    [
        "runId", "model", "task", "taskVersion", "samplesPerProblem", "temperature", "topP", "maxTokens", "seed", "limit",
        "problems", "coverageAt1", "coverageAtN", "majAtN", "verifierSelected", "logprobSelected", "selectionGap",
        "fitA", "fitB", "fitRSquared", "samplesFor50", "samplesFor80", "samplesFor90", "promptTokens", "completionTokens",
        "tokensPerProblem", "flopsPerProblem", "wallSeconds", "priceUsd", "pricePerProblem", "pricePerSolved", "createdAt",
    ];

    /// <summary>One row per run per k of its coverage curve.</summary>
    public static string RenderCurve(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var csv = new StringBuilder();
        AppendRecord(csv, CurveColumns);
        foreach (var run in input.Runs)
        {
            foreach (var point in run.Curve)
            {
                AppendRecord(csv,
                [
                    run.RunId, run.Settings.Model, run.Settings.Task, Number(point.K), Number(point.Coverage), Number(point.MajorityVote),
                ]);
            }
        }
        return csv.ToString();
    }

    /// <summary>One row per run: settings, accuracy, fit and cost.</summary>
    public static string RenderRuns(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var csv = new StringBuilder();
        AppendRecord(csv, RunColumns);
        foreach (var row in RunRow.For(input.Runs))
        {
            var (run, settings, cost) = (row.Run, row.Run.Settings, row.Run.Cost);
            AppendRecord(csv,
            [
                run.RunId, settings.Model, settings.Task, settings.TaskVersion, Number(settings.SamplesPerProblem),
                Number(settings.Temperature), Number(settings.TopP), Number(settings.MaxTokens), Number(settings.Seed),
                Number(settings.Limit), Number(run.Problems), Number(row.CoverageAt1), Number(run.CoverageAtN),
                Number(run.MajorityAtN), Number(run.VerifierSelectedAccuracy), Number(run.LogprobSelectedAccuracy),
                Number(run.SelectionGap), Number(run.Fit?.A), Number(run.Fit?.B), Number(run.Fit?.RSquared),
                Number(row.SamplesFor(0.5)), Number(row.SamplesFor(0.8)), Number(row.SamplesFor(0.9)),
                Number(cost.PromptTokens), Number(cost.CompletionTokens), Number(cost.TokensPerProblem),
                Number(cost.FlopsPerProblem), Number(cost.WallSeconds), Number(cost.PriceUsd), Number(cost.PricePerProblem),
                Number(cost.PricePerSolved), run.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ]);
        }
        return csv.ToString();
    }

    /// <summary>Quotes <paramref name="field"/> when RFC 4180 requires it.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static void AppendRecord(StringBuilder csv, IEnumerable<string> fields) =>
        csv.Append(string.Join(",", fields.Select(Quote))).Append("\r\n");

    private static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
