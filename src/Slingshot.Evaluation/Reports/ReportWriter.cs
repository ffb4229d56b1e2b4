using System.Text;

namespace Slingshot.Evaluation.Reports;

/// <summary>Writes a report to a file in the format its extension names.</summary>
public static class ReportWriter
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private static readonly IReadOnlyDictionary<string, ReportFormat> Extensions =
        new Dictionary<string, ReportFormat>(StringComparer.OrdinalIgnoreCase)
        {
            [".html"] = ReportFormat.Html,
            [".md"] = ReportFormat.Markdown,
            [".json"] = ReportFormat.Json,
            [".csv"] = ReportFormat.Csv,
        };

    /// <summary>The format <paramref name="path"/>'s extension names.</summary>
    /// <exception cref="ArgumentException">The extension is none of .html, .md, .json, .csv.</exception>
    public static ReportFormat FormatFor(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var extension = Path.GetExtension(path);
        return Extensions.TryGetValue(extension, out var format)
            ? format
            : throw new ArgumentException(
                $"Cannot tell the report format of '{path}': use the extension {string.Join(", ", Extensions.Keys)}.",
                nameof(path));
    }

    /// <summary>Renders <paramref name="input"/> in <paramref name="format"/>.</summary>
    public static string Render(ReportInput input, ReportFormat format)
    {
        ArgumentNullException.ThrowIfNull(input);
        return format switch
        {
            ReportFormat.Html => HtmlReport.Render(input),
            ReportFormat.Markdown => MarkdownReport.Render(input),
            ReportFormat.Json => JsonReport.Render(input),
            ReportFormat.Csv => CsvReport.RenderCurve(input),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown report format."),
        };
    }

    /// <summary>Writes <paramref name="input"/> to <paramref name="outPath"/> (UTF-8, folders created), in the format of its extension.</summary>
    /// <exception cref="ArgumentException">The extension is none of .html, .md, .json, .csv.</exception>
    public static void Write(ReportInput input, string outPath)
    {
        ArgumentNullException.ThrowIfNull(input);
        var content = Render(input, FormatFor(outPath));
        CreateFolderOf(outPath);
        File.WriteAllText(outPath, content, Utf8);
    }

    /// <summary>Asynchronous <see cref="Write"/>.</summary>
    /// <exception cref="ArgumentException">The extension is none of .html, .md, .json, .csv.</exception>
    public static async Task WriteAsync(ReportInput input, string outPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var content = Render(input, FormatFor(outPath));
        CreateFolderOf(outPath);
        await File.WriteAllTextAsync(outPath, content, Utf8, cancellationToken).ConfigureAwait(false);
    }

    private static void CreateFolderOf(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }
}
