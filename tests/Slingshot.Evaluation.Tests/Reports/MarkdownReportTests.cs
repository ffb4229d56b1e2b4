using Slingshot.Evaluation.Reports;

namespace Slingshot.Evaluation.Tests.Reports;

public sealed class MarkdownReportTests
{
    [Fact]
    public void Render_ThreeRuns_HasARowPerRunInSettingsAndResults()
    {
        var lines = MarkdownReport.Render(ReportFixtures.Input()).Split('\n');

        var settings = TableAfter(lines, "## Runs");
        Assert.Equal(2 + 3, settings.Count);
        Assert.StartsWith("| run-small | qwen2.5-0.5b-instruct-q4\\_k\\_m | gsm8k v1 | 64 | 0.7 | 0.95 | 512 | 1234 | 100 | 100 | context=4096, threads=1 |", settings[2]);

        var results = TableAfter(lines, "### Results");
        Assert.Equal(2 + 3, results.Count);
        Assert.Equal(19, results[0].Count(c => c == '|') - 1);
        Assert.Contains("| 30.0% | 90.0% | 45.0% | 86.0% | 38.0% | +45.0 pp | -1.204 | -0.539 | 0.962 |", results[2]);
        Assert.EndsWith("| front |", results[2]);
        Assert.EndsWith("| front |", results[3]);
        Assert.EndsWith("|  |", results[4]);
    }

    [Fact]
    public void Render_ThreeRuns_HasCoverageAndMajorityTablesByK()
    {
        var lines = MarkdownReport.Render(ReportFixtures.Input()).Split('\n');

        var coverage = TableAfter(lines, "### Coverage (pass@k) by k");
        Assert.Equal(
            "| k | qwen2.5-0.5b-instruct-q4\\_k\\_m · k=64 | llama-3.1-70b-instruct-q4\\_k\\_m · k=1 | mistral-7b-instruct-q4\\_k\\_m · k=8 |",
            coverage[0]);
        Assert.Equal("| ---: | ---: | ---: | ---: |", coverage[1]);
        Assert.Equal(2 + 7, coverage.Count); // k = 1, 2, 4, ..., 64
        Assert.Equal("| 1 | 30.0% | 62.0% | 20.0% |", coverage[2]);
        Assert.Equal("| 8 | 60.0% |  | 42.0% |", coverage[5]);
        Assert.Equal("| 64 | 90.0% |  |  |", coverage[8]);

        var votes = TableAfter(lines, "### maj@k by k");
        Assert.Equal("| 64 | 45.0% |  |  |", votes[8]);
    }

    [Fact]
    public void Render_HostileNames_AreLiteralInCells()
    {
        var run = ReportFixtures.Small with
        {
            Settings = ReportFixtures.Small.Settings with { Model = "<script>a|b</script>" },
        };

        var markdown = MarkdownReport.Render(ReportFixtures.Input(run));

        Assert.DoesNotContain("<script>", markdown);
        Assert.Contains("&lt;script&gt;a\\|b&lt;/script&gt;", markdown);
    }

    [Fact]
    public void Render_ProblemResults_ListsThem()
    {
        var markdown = MarkdownReport.Render(ReportFixtures.Input() with { ProblemResults = ReportFixtures.Problems });

        var rows = TableAfter(markdown.Split('\n'), "## Problems");
        Assert.Equal(2 + 4, rows.Count);
        Assert.Equal("| qwen2.5-0.5b-instruct-q4\\_k\\_m · k=64 | gsm8k/0 | 64 | 40 | 18 | yes |", rows[2]);
    }

    [Fact]
    public void Render_NoRuns_SaysSo()
    {
        var markdown = MarkdownReport.Render(new ReportInput { Runs = [] });

        Assert.Contains("_No runs to report", markdown);
        Assert.DoesNotContain("|", markdown);
    }

    private static List<string> TableAfter(string[] lines, string heading)
    {
        var start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"heading '{heading}' not found");
        return lines.Skip(start + 1).SkipWhile(l => l.Length == 0).TakeWhile(l => l.StartsWith('|')).ToList();
    }
}
