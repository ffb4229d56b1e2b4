using System.Text.RegularExpressions;
using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Reports;

namespace Slingshot.Evaluation.Tests.Reports;

public sealed class HtmlReportTests
{
    [Fact]
    public void Render_ThreeRuns_HasBothPlotsAndALegendEntryPerRun()
    {
        var html = HtmlReport.Render(ReportFixtures.Input());

        Assert.Equal(2, Regex.Count(html, "<svg "));
        Assert.Contains("Coverage vs. samples", html);
        Assert.Contains("Accuracy vs. cost", html);
        foreach (var run in ReportFixtures.ThreeRuns)
        {
            var label = $"{run.Settings.Model} · k={run.SamplesPerProblem}";
            Assert.Contains($"font-size=\"12\" fill=\"#1f2937\">{label}</text>", html);
        }
        Assert.Contains(">Pareto front</text>", html);
        Assert.Contains(">maj@k</text>", html);
    }

    [Fact]
    public void Render_ThreeRuns_IsSelfContained()
    {
        var html = HtmlReport.Render(ReportFixtures.Input());

        var withoutNamespace = html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal);
        Assert.DoesNotContain("http", withoutNamespace, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_HostileNames_AreEncodedEverywhere()
    {
        var hostile = ReportFixtures.Small with
        {
            RunId = "run-<b>",
            Settings = ReportFixtures.Small.Settings with
            {
                Model = "<script>alert('x')</script>",
                Extra = new Dictionary<string, string> { ["note"] = "a & b \"c\"" },
            },
        };
        var input = ReportFixtures.Input(hostile, ReportFixtures.Large) with
        {
            Title = "Report <i>1</i>",
            ProblemResults = [new("run-<b>", "p<1>", 4, 1, "<x>", false)],
        };

        var html = HtmlReport.Render(input);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<i>1</i>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.DoesNotContain("<x>", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html);
        Assert.Contains("a &amp; b &quot;c&quot;", html);
        Assert.Contains("p&lt;1&gt;", html);
    }

    [Fact]
    public void Render_ThreeRuns_MarksExactlyTheFrontRuns()
    {
        var html = HtmlReport.Render(ReportFixtures.Input());

        Assert.Equal(2, Regex.Count(html, "<td class=\"front\""));
        // Ringed markers: one per run on the front.
        Assert.Equal(2, Regex.Count(html, "stroke=\"#111827\""));
        Assert.Contains("Pareto front (no other run is both cheaper and more accurate): qwen2.5-0.5b-instruct-q4_k_m · k=64, llama-3.1-70b-instruct-q4_k_m · k=1.", html);
    }

    [Fact]
    public void Render_ResultsTable_ShowsDerivedValues()
    {
        var html = HtmlReport.Render(ReportFixtures.Input());

        // Small run: coverage 30% → 90%, maj@64 45%, gap 45 pp, and the fit's sample predictions.
        var expected50 = ReportFixtures.Small.Fit!.SamplesFor(0.5)!.Value;
        Assert.Contains("<td>+45.0 pp</td>", html);
        Assert.Contains($"<td>{Math.Ceiling(expected50)}</td>", html);
        Assert.Contains("<td>-0.539</td>", html);
        Assert.Contains("<td class=\"sep\">19,350</td>", html);
    }

    [Fact]
    public void Render_NoRuns_ShowsAMessageInsteadOfTables()
    {
        var html = HtmlReport.Render(new ReportInput { Runs = [] });

        Assert.Contains("No runs to report", html);
        Assert.DoesNotContain("<svg", html);
        Assert.DoesNotContain("<table", html);
        Assert.EndsWith("</html>\n", html);
    }

    [Fact]
    public void Render_OneRunWithOneK_DrawsASinglePointWithoutALine()
    {
        var html = HtmlReport.Render(ReportFixtures.Input(ReportFixtures.Large));

        Assert.Equal(2, Regex.Count(html, "<svg "));
        // Only the legend swatches are lines; the single point has no polyline.
        Assert.DoesNotContain("<polyline points=\"", html.Split("Coverage vs. samples")[1].Split("</svg>")[0]);
        Assert.Contains("coverage@1 = 62.0%", html);
    }

    [Fact]
    public void Render_ZeroCoverageAndNonFiniteCosts_RendersAndLeavesUnplaceableRunsOut()
    {
        var zero = ReportFixtures.Run("run-zero", "tiny-model", k: 4, parameters: 1e8, completionPerSample: 100,
            curve: [new(1, 0, 0), new(2, 0, 0), new(4, 0, 0)], fit: null, verifier: 0, logprob: 0);
        var broken = ReportFixtures.Large with
        {
            RunId = "run-broken",
            Settings = ReportFixtures.Large.Settings with { Model = "broken-costs" },
            Cost = ReportFixtures.Large.Cost with { Flops = double.NaN, PriceUsd = double.PositiveInfinity, Solved = 0 },
        };

        var html = HtmlReport.Render(ReportFixtures.Input(zero, broken, ReportFixtures.Small));

        Assert.Contains("coverage@4 = 0.0%", html);
        Assert.Contains("Not plotted (cost or accuracy unknown): broken-costs · k=1.", html);
        Assert.Contains("<td>∞</td>", html);
        Assert.DoesNotContain("NaN", html);
        Assert.DoesNotContain("Infinity", html);
    }

    [Fact]
    public void Render_CodeTaskWithoutVotes_UsesTheVerifierSelectedAccuracy()
    {
        var code = ReportFixtures.Run("run-code", "coder-1.5b", k: 4, parameters: 1.5e9, completionPerSample: 200,
            curve: [new(1, 0.3, null), new(2, 0.4, null), new(4, 0.5, null)], fit: null, verifier: 0.5, logprob: 0.35,
            task: "humaneval");

        var html = HtmlReport.Render(ReportFixtures.Input(code));

        Assert.Contains("Accuracy (verifier-selected, pass@n)", html);
        Assert.Contains("coder-1.5b · k=4: 50.0% at", html);
        Assert.DoesNotContain(">maj@k</text>", html);
    }

    [Fact]
    public void Render_TwoTasks_GetsASectionWithPlotsEach()
    {
        var other = ReportFixtures.Small with
        {
            RunId = "run-math",
            Settings = ReportFixtures.Small.Settings with { Task = "math500" },
        };

        var html = HtmlReport.Render(ReportFixtures.Input(ReportFixtures.Small, other));

        Assert.Equal(4, Regex.Count(html, "<svg "));
        Assert.Contains("Task: gsm8k (v1)", html);
        Assert.Contains("Task: math500 (v1)", html);
    }

    [Fact]
    public void Render_PricedRun_PlotsAgainstPriceWithZeroCostRunsAtTheEdge()
    {
        var priced = ReportFixtures.Large with { Cost = ReportFixtures.Large.Cost with { PriceUsd = 0.5 } };

        var html = HtmlReport.Render(ReportFixtures.Input(ReportFixtures.Small, priced));

        Assert.Contains("Price per problem (US$, log scale)", html);
        Assert.Contains("sit on the left edge, at 0", html);
        Assert.Contains("<td>$0.005</td>", html);
    }
}
