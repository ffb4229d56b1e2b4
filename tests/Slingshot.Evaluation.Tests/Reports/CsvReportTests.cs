using Slingshot.Evaluation.Reports;

namespace Slingshot.Evaluation.Tests.Reports;

public sealed class CsvReportTests
{
    [Fact]
    public void RenderCurve_ThreeRuns_HasARowPerRunPerK()
    {
        var lines = CsvReport.RenderCurve(ReportFixtures.Input()).Split("\r\n");

        Assert.Equal("runId,model,task,k,coverage,majAtK", lines[0]);
        Assert.Equal(1 + 7 + 1 + 4 + 1, lines.Length); // header, 7 + 1 + 4 points, trailing empty after the last CRLF
        Assert.Equal("run-small,qwen2.5-0.5b-instruct-q4_k_m,gsm8k,64,0.9,0.45", lines[7]);
        Assert.Equal("run-large,llama-3.1-70b-instruct-q4_k_m,gsm8k,1,0.62,0.62", lines[8]);
        Assert.Equal("", lines[^1]);
    }

    [Fact]
    public void RenderCurve_ModelWithCommaAndQuote_IsQuotedPerRfc4180()
    {
        var run = ReportFixtures.Large with
        {
            Settings = ReportFixtures.Large.Settings with { Model = "llama, \"70b\"" },
        };

        var lines = CsvReport.RenderCurve(ReportFixtures.Input(run)).Split("\r\n");

        Assert.Equal("run-large,\"llama, \"\"70b\"\"\",gsm8k,1,0.62,0.62", lines[1]);
    }

    [Fact]
    public void RenderCurve_NoMajorityVote_LeavesTheFieldEmpty()
    {
        var code = ReportFixtures.Run("run-code", "coder", k: 2, parameters: 1e9, completionPerSample: 10,
            curve: [new(1, 0.5, null), new(2, 0.75, null)], fit: null, verifier: null, logprob: null, task: "mbpp");

        var lines = CsvReport.RenderCurve(ReportFixtures.Input(code)).Split("\r\n");

        Assert.Equal("run-code,coder,mbpp,2,0.75,", lines[2]);
    }

    [Fact]
    public void RenderRuns_ThreeRuns_HasARowPerRunWithEveryColumn()
    {
        var lines = CsvReport.RenderRuns(ReportFixtures.Input()).Split("\r\n");

        Assert.Equal(string.Join(",", CsvReport.RunColumns), lines[0]);
        Assert.Equal(1 + 3 + 1, lines.Length);
        var small = lines[1].Split(',');
        Assert.Equal(CsvReport.RunColumns.Count, small.Length);
        Assert.Equal("run-small", small[0]);
        Assert.Equal("0.9", small[Column("coverageAtN")]);
        var samplesFor50 = double.Parse(small[Column("samplesFor50")], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(ReportFixtures.Small.Fit!.SamplesFor(0.5)!.Value, samplesFor50, 1e-12);
        var large = lines[2].Split(',');
        Assert.Equal("", large[Column("fitA")]);
    }

    [Fact]
    public void RenderRuns_NothingSolved_LeavesInfinitePricePerSolvedEmpty()
    {
        var unsolved = ReportFixtures.Large with { Cost = ReportFixtures.Large.Cost with { Solved = 0 } };

        var fields = CsvReport.RenderRuns(ReportFixtures.Input(unsolved)).Split("\r\n")[1].Split(',');

        Assert.Equal("", fields[Column("pricePerSolved")]);
    }

    private static int Column(string name) => CsvReport.RunColumns.ToList().IndexOf(name);

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("", "")]
    public void Quote_Field_FollowsRfc4180(string field, string expected) =>
        Assert.Equal(expected, CsvReport.Quote(field));
}
