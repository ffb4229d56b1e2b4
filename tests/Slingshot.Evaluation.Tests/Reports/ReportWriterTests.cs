using System.Text.Json;
using Slingshot.Evaluation.Reports;

namespace Slingshot.Evaluation.Tests.Reports;

public sealed class ReportWriterTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("slingshot-report-writer-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [InlineData("report.html", ReportFormat.Html)]
    [InlineData("REPORT.HTML", ReportFormat.Html)]
    [InlineData("notes/report.md", ReportFormat.Markdown)]
    [InlineData("report.json", ReportFormat.Json)]
    [InlineData("curve.csv", ReportFormat.Csv)]
    public void FormatFor_KnownExtension_PicksItsFormat(string path, ReportFormat expected) =>
        Assert.Equal(expected, ReportWriter.FormatFor(path));

    [Theory]
    [InlineData("report.pdf")]
    [InlineData("report")]
    [InlineData("report.html.bak")]
    public void Write_UnknownExtension_ThrowsListingTheValidOnes(string name)
    {
        var path = Path.Combine(_folder.FullName, name);

        var error = Assert.Throws<ArgumentException>(() => ReportWriter.Write(ReportFixtures.Input(), path));

        Assert.Contains(".html, .md, .json, .csv", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Write_EachExtension_WritesThatFormat()
    {
        var input = ReportFixtures.Input();
        var html = Path.Combine(_folder.FullName, "out", "report.html");
        var markdown = Path.Combine(_folder.FullName, "report.md");
        var json = Path.Combine(_folder.FullName, "report.json");
        var csv = Path.Combine(_folder.FullName, "report.csv");

        foreach (var path in new[] { html, markdown, json, csv })
        {
            ReportWriter.Write(input, path);
        }

        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(html));
        Assert.StartsWith("# GSM8K", File.ReadAllText(markdown));
        Assert.Equal(3, JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("runs").GetArrayLength());
        Assert.StartsWith("runId,model,task,k,coverage,majAtK\r\n", File.ReadAllText(csv));
        Assert.NotEqual(0xEF, File.ReadAllBytes(csv)[0]); // no byte-order mark
    }

    [Fact]
    public async Task WriteAsync_Html_WritesTheSamePageAsRender()
    {
        var input = ReportFixtures.Input();
        var path = Path.Combine(_folder.FullName, "report.html");

        await ReportWriter.WriteAsync(input, path);

        Assert.Equal(HtmlReport.Render(input), await File.ReadAllTextAsync(path));
    }
}
