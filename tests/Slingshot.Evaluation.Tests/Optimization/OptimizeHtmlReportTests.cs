using Slingshot.Evaluation.Optimization;
using Slingshot.Evaluation.Store;
using Scripted = Slingshot.Evaluation.Tests.Optimization.ScriptedArmSampler.Sample;

namespace Slingshot.Evaluation.Tests.Optimization;

public sealed class OptimizeHtmlReportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slingshot-optimize-report-").FullName;
    private readonly RunStore _store;

    public OptimizeHtmlReportTests() => _store = RunStore.Open(Path.Combine(_directory, "runs.db"));

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<OptimizeResult> SearchAsync(double target)
    {
        // Small votes its way up (sample i of problem p is right unless (p + i) mod 3 is 0); big is right on 4 in 5.
        var sampler = new ScriptedArmSampler(_store, (arm, problem, index) =>
        {
            var p = int.Parse(problem.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            return arm.Candidate == "big"
                ? (p % 5 == 0 ? new Scripted("wrong", false) : new Scripted("42", true))
                : (p + index) % 3 != 0 ? new Scripted("42", true, -0.5) : new Scripted($"w{index}", false, -1.5);
        });
        var candidates = new[]
        {
            OptimizeCandidate.Parse("small=endpoint:http://127.0.0.1:9/v1:small:0,1"),
            OptimizeCandidate.Parse("big=endpoint:http://127.0.0.1:9/v1:big:0,10"),
        };
        var options = new OptimizeOptions { Target = target, Confidence = 0.9, Temperatures = [0, 0.7], MaxSamples = 8 };
        return await new OptimizeRunner("scripted", [.. Enumerable.Range(0, 40).Select(i => $"p{i}")], new TaskAbilities(true, false), candidates,
            _store, sampler, options).RunAsync();
    }

    [Fact]
    public async Task Render_Chosen_IsMarkedWithItsHeldOutCheck_EveryConfigurationListed()
    {
        var result = await SearchAsync(0.75);

        var html = OptimizeHtmlReport.Render(result, DateTimeOffset.UnixEpoch);

        Assert.NotNull(result.Choice.Chosen);
        Assert.Contains($"<strong>{result.Choice.Chosen!.Name.Replace("'", "&#39;")}</strong> is the cheapest configuration", html);
        Assert.Contains("Held-out check: <strong>held</strong>", html);
        Assert.Contains("★ " + result.Choice.Chosen.Name, html);
        Assert.Equal(result.Configurations.Count, html.Split("<td class=\"text run\">").Length - 1);
        Assert.Contains("<svg", html);
        Assert.Contains("Pareto front", html);
        Assert.DoesNotContain("<script", html);
        if (Environment.GetEnvironmentVariable("SLINGSHOT_KEEP_REPORT") is { Length: > 0 } keep)
        {
            File.WriteAllText(keep, html);
        }
    }

    [Fact]
    public async Task Render_NoneReaches_SaysSoAndShowsTheClosest()
    {
        var result = await SearchAsync(1.0);

        var html = OptimizeHtmlReport.Render(result, DateTimeOffset.UnixEpoch);

        Assert.Contains("<strong>No configuration reaches 100", html);
        Assert.Contains("The closest is " + result.Choice.Closest!.Name.Replace("'", "&#39;"), html);
        Assert.Contains("Held-out check: not made (no configuration reached the target", html);
    }
}
