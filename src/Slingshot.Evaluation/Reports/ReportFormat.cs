namespace Slingshot.Evaluation.Reports;

/// <summary>The file formats a report can be written in.</summary>
public enum ReportFormat
{
    /// <summary>Self-contained HTML with plots (<see cref="HtmlReport"/>).</summary>
    Html,

    /// <summary>GitHub-flavoured Markdown tables (<see cref="MarkdownReport"/>).</summary>
    Markdown,

    /// <summary>JSON of the report input (<see cref="JsonReport"/>).</summary>
    Json,

    /// <summary>CSV of coverage and maj@k per run per k (<see cref="CsvReport.RenderCurve"/>).</summary>
    Csv,
}
