namespace Slingshot.Evaluation.Reports;

/// <summary>The report's inline style sheet: system fonts only, print-friendly, compact tables.</summary>
internal static class HtmlStyles
{
    /// <summary>CSS placed in the page's &lt;style&gt; element.</summary>
    public const string Css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f3f4f6; color: #1f2937;
               font: 14px/1.45 "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
        main { max-width: 1360px; margin: 0 auto; padding: 24px 28px 40px; background: #ffffff; min-height: 100vh; }
        header { border-bottom: 2px solid #1f2937; padding-bottom: 10px; margin-bottom: 18px; }
        h1 { font-size: 24px; margin: 0 0 4px; font-weight: 650; letter-spacing: -0.01em; }
        h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #e5e7eb; }
        h3 { font-size: 15px; margin: 18px 0 8px; color: #374151; }
        .meta { color: #6b7280; margin: 0; }
        .empty { padding: 32px; border: 1px dashed #9ca3af; border-radius: 6px; color: #4b5563; text-align: center; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; width: 100%; }
        th, td { padding: 4px 6px; border-bottom: 1px solid #e5e7eb; text-align: right; white-space: nowrap; }
        th { background: #f9fafb; font-weight: 600; color: #374151; vertical-align: bottom; white-space: normal; }
        thead tr:first-child th.group { text-align: center; border-bottom: 2px solid #d1d5db; }
        th.group + th.group, td.sep, th.sep { border-left: 1px solid #e5e7eb; }
        table.results { font-size: 11.5px; }
        td.text, th.text { text-align: left; }
        td.run { white-space: normal; min-width: 150px; max-width: 260px; font-weight: 600; }
        td.extras { text-align: left; white-space: normal; font-size: 11.5px; color: #4b5563; max-width: 360px; }
        tbody tr:nth-child(even) td { background: #fafafa; }
        td.front { font-weight: 600; color: #065f46; }
        code { font-family: ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11.5px; }
        .plots { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 14px; }
        figure { margin: 0; flex: 1 1 600px; max-width: 660px; border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px; }
        figure svg { display: block; width: 100%; height: auto; }
        figcaption { font-size: 12px; color: #4b5563; padding: 4px 6px 0; }
        details summary { cursor: pointer; font-weight: 600; margin: 8px 0; }
        td.ok { color: #065f46; } td.bad { color: #991b1b; }
        footer { margin-top: 32px; font-size: 12px; color: #6b7280; border-top: 1px solid #e5e7eb; padding-top: 10px; }
        footer dt { font-weight: 600; color: #374151; float: left; clear: left; width: 150px; }
        footer dd { margin: 0 0 2px 160px; }
        @media print { body { background: #ffffff; } main { padding: 0; } figure { break-inside: avoid; } }
        """;
}
