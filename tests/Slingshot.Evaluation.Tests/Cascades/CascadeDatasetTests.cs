using Slingshot.Evaluation.Cascades;
using Slingshot.Evaluation.Store;
using Slingshot.Strategies.Cascades;
using Slingshot.Strategies.Verification;
using S = Slingshot.Evaluation.Tests.Cascades.CascadeStoreBuilder.Sample;

namespace Slingshot.Evaluation.Tests.Cascades;

public sealed class CascadeDatasetTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slingshot-cascade-data-").FullName;
    private readonly RunStore _store;

    public CascadeDatasetTests()
    {
        _store = RunStore.Open(Path.Combine(_directory, "runs.db"));
        CascadeStoreBuilder.AddRun(_store, "small",
        [
            ("p1", [new S("a", true, -0.1), new S("a", true, -0.2), new S("b", false, -3), new S("a", true, -0.3)]),
            ("p2", [new S("x", false, -2), new S(null, false), new S("y", true, -0.5), new S("x", false, -2.5)]),
            ("p3", [new S("q", true)]),
        ], promptTokens: 10, costPerDraw: 0.004, latencyMs: 200);
        CascadeStoreBuilder.AddRun(_store, "large",
        [
            ("p1", [new S("a", true)]),
            ("p2", [new S("y", true)]),
            ("p3", [new S("q", true)]),
        ], promptTokens: 12, costPerDraw: 0.05);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Load_Agreement_ReplaysTheVoteOfTheFirstKSamples()
    {
        var dataset = await CascadeDataset.LoadAsync(_store, [new CascadeTierRun("small", 3), new CascadeTierRun("large")], "agreement");

        // p3 has one small sample, fewer than k = 3: left out.
        Assert.Equal(["p1", "p2"], dataset.Problems.Select(p => p.ProblemId));
        Assert.Equal(1, dataset.SkippedProblems);
        var p1 = dataset.Problems[0].Tiers[0];
        Assert.Equal(("a", true), (p1.Answer, p1.Correct));
        Assert.Equal(2.0 / 3, p1.Score!.Value, 12);
        // p2's first three: x, (none), y: a tie that goes to the first seen, x, with half the voters.
        var p2 = dataset.Problems[1].Tiers[0];
        Assert.Equal(("x", false), (p2.Answer, p2.Correct));
        Assert.Equal(0.5, p2.Score);
    }

    [Fact]
    public async Task Load_Logprob_ScoresTheWinningSample()
    {
        var dataset = await CascadeDataset.LoadAsync(_store, [new CascadeTierRun("small", 4), new CascadeTierRun("large")], "logprob");

        Assert.Equal(-0.1, dataset.Problems[0].Tiers[0].Score);
        Assert.Equal(-2, dataset.Problems[1].Tiers[0].Score);
    }

    [Fact]
    public async Task Load_WithoutPrices_ChargesTheStoredCostInProportionToTheSamplesUsed()
    {
        var dataset = await CascadeDataset.LoadAsync(_store, [new CascadeTierRun("small", 2), new CascadeTierRun("large")], "agreement");

        var small = dataset.Problems[0].Tiers[0];
        Assert.Equal(0.002, small.CostUsd, 12);
        Assert.Equal(100, small.LatencyMs, 9);
        // The prompt is processed once, whatever k; completion tokens are the two samples' own.
        Assert.Equal(10 + 5 + 5, small.Tokens);
        Assert.Equal(0.05, dataset.Problems[0].Tiers[1].CostUsd, 12);
    }

    [Fact]
    public async Task Load_WithPrices_PricesTheTokens()
    {
        var dataset = await CascadeDataset.LoadAsync(_store,
            [new CascadeTierRun("small", 2, new TokenPrice(1, 2)), new CascadeTierRun("large", 1, new TokenPrice(10, 30))], "agreement");

        Assert.Equal((10 * 1 + 10 * 2) / 1e6, dataset.Problems[0].Tiers[0].CostUsd, 15);
        Assert.Equal((12 * 10 + 5 * 30) / 1e6, dataset.Problems[0].Tiers[1].CostUsd, 15);
    }

    [Fact]
    public async Task Load_Verifier_ScoresWithTheVerifierWithoutTheReference()
    {
        var dataset = await CascadeDataset.LoadAsync(_store, [new CascadeTierRun("small", 4), new CascadeTierRun("large")], "verifier",
            new RegexVerifier("^a$"));

        Assert.Equal([1.0, 0.0], dataset.Problems.Select(p => p.Tiers[0].Score!.Value));
    }

    [Theory]
    [InlineData("missing", "agreement", "not in store")]
    [InlineData("small", "vibes", "Unknown escalation test")]
    [InlineData("small", "judge", "needs a verifier")]
    public async Task Load_BadInput_ThrowsReadably(string run, string escalation, string expected)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            CascadeDataset.LoadAsync(_store, [new CascadeTierRun(run, 1), new CascadeTierRun("large")], escalation));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_OneTier_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => CascadeDataset.LoadAsync(_store, [new CascadeTierRun("small", 1)], "agreement"));
    }
}
