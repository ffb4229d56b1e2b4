using System.Text.Json;
using Slingshot.Evaluation.Reports;

namespace Slingshot.Evaluation.Tests.Reports;

public sealed class JsonReportTests
{
    [Fact]
    public void Render_ThenParse_RoundTripsTheInput()
    {
        var input = ReportFixtures.Input() with { ProblemResults = ReportFixtures.Problems };

        var parsed = JsonReport.Parse(JsonReport.Render(input));

        Assert.Equal(input.Title, parsed.Title);
        Assert.Equal(input.GeneratedAt, parsed.GeneratedAt);
        Assert.Equal(input.ProblemResults, parsed.ProblemResults);
        Assert.Equal(input.Runs.Count, parsed.Runs.Count);
        for (var i = 0; i < input.Runs.Count; i++)
        {
            var (expected, actual) = (input.Runs[i], parsed.Runs[i]);
            Assert.Equal(expected.RunId, actual.RunId);
            Assert.Equal(expected.Settings with { Extra = actual.Settings.Extra }, actual.Settings);
            Assert.Equal(expected.Settings.Extra, actual.Settings.Extra);
            Assert.Equal(expected.Curve, actual.Curve);
            Assert.Equal(expected.Fit, actual.Fit);
            Assert.Equal(expected.Cost, actual.Cost);
            Assert.Equal(expected.VerifierSelectedAccuracy, actual.VerifierSelectedAccuracy);
            Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        }
    }

    [Fact]
    public void Render_ThreeRuns_IsIndentedCamelCaseWithNumbersAsNumbers()
    {
        var json = JsonReport.Render(ReportFixtures.Input());

        Assert.Contains("\n  \"runs\": [", json);
        using var document = JsonDocument.Parse(json);
        var small = document.RootElement.GetProperty("runs")[0];
        Assert.Equal(JsonValueKind.Number, small.GetProperty("settings").GetProperty("temperature").ValueKind);
        Assert.Equal(0.9, small.GetProperty("coverageAtN").GetDouble());
        Assert.Equal(64, small.GetProperty("curve")[6].GetProperty("k").GetInt32());
        Assert.Equal(-0.539, small.GetProperty("fit").GetProperty("b").GetDouble());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("runs")[1].GetProperty("fit").ValueKind);
    }

    [Fact]
    public void Render_InfiniteAndNaNValues_AreWrittenAsNull()
    {
        var unsolved = ReportFixtures.Large with
        {
            Cost = ReportFixtures.Large.Cost with { Solved = 0, WallSeconds = double.NaN, Flops = double.PositiveInfinity },
        };

        var json = JsonReport.Render(ReportFixtures.Input(unsolved));

        using var document = JsonDocument.Parse(json);
        var cost = document.RootElement.GetProperty("runs")[0].GetProperty("cost");
        Assert.Equal(JsonValueKind.Null, cost.GetProperty("pricePerSolved").ValueKind);
        Assert.Equal(JsonValueKind.Null, cost.GetProperty("secondsPerSolved").ValueKind);
        Assert.Equal(JsonValueKind.Null, cost.GetProperty("wallSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, cost.GetProperty("flops").ValueKind);
        Assert.DoesNotContain("Infinity", json);
        Assert.DoesNotContain("NaN", json);
        Assert.True(double.IsNaN(JsonReport.Parse(json).Runs[0].Cost.WallSeconds));
    }

    [Fact]
    public void Parse_NotAReport_Throws() =>
        Assert.Throws<JsonException>(() => JsonReport.Parse("null"));
}
