using Slingshot.Evaluation.Optimization;
using Slingshot.Evaluation.Store;
using Scripted = Slingshot.Evaluation.Tests.Optimization.ScriptedArmSampler.Sample;

namespace Slingshot.Evaluation.Tests.Optimization;

/// <summary>
/// The search on synthetic stored runs with known verdicts and prices, in a real store. Prices: "small" is an endpoint
/// at $1 per million completion tokens, "big" at $10; each sample has 10 completion tokens and prompts are free, so one
/// sample costs $0.00001 (small) or $0.0001 (big).
/// </summary>
public sealed class OptimizeRunnerTests : IDisposable
{
    private const double SmallSample = 1e-5;
    private const double BigSample = 1e-4;
    private static readonly OptimizeCandidate Small = OptimizeCandidate.Parse("small=endpoint:http://127.0.0.1:9/v1:small:0,1");
    private static readonly OptimizeCandidate Big = OptimizeCandidate.Parse("big=endpoint:http://127.0.0.1:9/v1:big:0,10");
    private static readonly IReadOnlyList<string> Problems = [.. Enumerable.Range(0, 40).Select(i => $"p{i}")];

    private readonly string _directory = Directory.CreateTempSubdirectory("slingshot-optimize-").FullName;
    private readonly RunStore _store;

    public OptimizeRunnerTests() => _store = RunStore.Open(Path.Combine(_directory, "runs.db"));

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Even problems are easy: small answers them right. On odd ones small gives no answer. Big is always right.</summary>
    private static Scripted EasyHard(ArmKey arm, string problem, int index) =>
        arm.Candidate == "big" || Number(problem) % 2 == 0 ? new Scripted("42", true) : new Scripted(null, false);

    [Fact]
    public async Task Run_CascadeEscalatingUnanswered_BeatsBothTiersAndIsChosen()
    {
        var sampler = new ScriptedArmSampler(_store, EasyHard);
        var options = new OptimizeOptions { Target = 0.8, Confidence = 0.95, Temperatures = [0] };
        var runner = new OptimizeRunner("scripted", Problems, new TaskAbilities(true, false), [Small, Big], _store, sampler, options);

        var result = await runner.RunAsync();

        var dev = runner.Development;
        var hardShare = dev.Count(p => Number(p) % 2 == 1) / (double)dev.Count;
        var byName = result.Configurations.ToDictionary(c => c.Name);
        AssertConfiguration(byName["small t0 ×1"], 1 - hardShare, SmallSample);
        AssertConfiguration(byName["big t0 ×1"], 1, BigSample);
        // Agreement of one voter is 1, of none 0: threshold 1 escalates exactly the unanswered (hard) problems.
        var cascade = byName["small t0 ×1 → big t0 ×1 (agreement ≥ 1)"];
        AssertConfiguration(cascade, 1, SmallSample + hardShare * BigSample);
        AssertConfiguration(byName["small t0 ×1 → big t0 ×1 (agreement ≥ 0)"], 1 - hardShare, SmallSample);
        // Always escalating costs more for no more accuracy: off the calibration's frontier, so not listed.
        Assert.DoesNotContain("small t0 ×1 → big t0 ×1 (agreement ≥ 1.001)", byName.Keys);
        Assert.Equal([Math.Round(1 - hardShare, 9), Math.Round(hardShare, 9)], cascade.AnsweredShare.Select(s => Math.Round(s, 9)));

        // Front: the two configurations costing one small sample (equal, so both stay), then the cascade; big alone is dominated.
        Assert.Equal(["small t0 ×1", "small t0 ×1 → big t0 ×1 (agreement ≥ 0)", "small t0 ×1 → big t0 ×1 (agreement ≥ 1)"],
            result.Front.Select(c => c.Name));
        Assert.Same(cascade, result.Choice.Chosen);
        Assert.True(result.HeldOut.Held);
        Assert.Equal(1, result.HeldOut.Result!.Accuracy);
        Assert.Equal(runner.HeldOut.Count, result.HeldOut.Result.Problems);
        // Greedy arms draw one sample per problem; the check draws both tiers on the held-out split.
        Assert.Equal(2 * dev.Count + 2 * runner.HeldOut.Count, result.SamplesUsed);
        Assert.Equal(result.SamplesUsed, sampler.Drawn);
    }

    [Fact]
    public async Task Run_TargetNobodyReaches_SaysSoAndShowsTheClosest()
    {
        var sampler = new ScriptedArmSampler(_store, EasyHard);
        // Accuracy 1 on a finite sample never has a lower bound of 1.
        var options = new OptimizeOptions { Target = 1, Confidence = 0.95, Temperatures = [0] };
        var runner = new OptimizeRunner("scripted", Problems, new TaskAbilities(true, false), [Small, Big], _store, sampler, options);

        var result = await runner.RunAsync();

        Assert.False(result.Choice.TargetReached);
        Assert.Null(result.Choice.Chosen);
        // Big alone and the escalating cascade share the highest lower bound; the cascade is cheaper.
        Assert.Equal("small t0 ×1 → big t0 ×1 (agreement ≥ 1)", result.Choice.Closest!.Name);
        Assert.Null(result.HeldOut.Held);
        Assert.Contains("no configuration reached", result.HeldOut.Note);
        Assert.Equal(2 * runner.Development.Count, sampler.Drawn);
    }

    [Fact]
    public async Task Run_Twice_SecondDrawsNothingAndChoosesTheSame()
    {
        var options = new OptimizeOptions { Target = 0.8, Confidence = 0.9, Temperatures = [0.7], MaxSamples = 8 };
        var first = await new OptimizeRunner("scripted", Problems, new TaskAbilities(true, false), [Small, Big], _store,
            new ScriptedArmSampler(_store, Noisy), options).RunAsync();
        var again = new ScriptedArmSampler(_store, Noisy);

        var second = await new OptimizeRunner("scripted", Problems, new TaskAbilities(true, false), [Small, Big], _store, again, options).RunAsync();

        Assert.Equal(0, again.Drawn);
        Assert.Equal(0, second.SamplesDrawn);
        Assert.Equal(first.SamplesUsed, second.SamplesUsed);
        Assert.Equal(first.Choice.Chosen?.Name, second.Choice.Chosen?.Name);
        Assert.Equal(first.Configurations.Select(c => (c.Name, c.Accuracy)), second.Configurations.Select(c => (c.Name, c.Accuracy)));
    }

    [Fact]
    public async Task Run_SuccessiveHalving_DrawsFewerSamplesThanExhaustiveAndChoosesWithinTheInterval()
    {
        var options = new OptimizeOptions { Target = 0.75, Confidence = 0.9, Temperatures = [0.7], MaxSamples = 16 };
        var sampler = new ScriptedArmSampler(_store, Noisy);
        var runner = new OptimizeRunner("scripted", Problems, new TaskAbilities(true, false), [Small, Big], _store, sampler, options);

        var result = await runner.RunAsync();

        // Exhaustive: both arms at K on every development problem, measured the same way, chosen the same way.
        var exhaustive = new ScriptedArmSampler(_store, Noisy);
        var arms = new List<ArmData>();
        foreach (var arm in runner.Arms)
        {
            await exhaustive.EnsureAsync(arm, runner.Development, options.MaxSamples, default);
            var cost = CostRates.For(arm.Candidate == "small" ? Small : Big, null, ArmStoreReader.Measure(_store, exhaustive.RunId(arm)), options.CostBasis, 0);
            arms.Add(new ArmData(arm, ArmStoreReader.Problems(_store, exhaustive.RunId(arm), runner.Development, options.MaxSamples), cost));
        }
        var full = ConfigurationChoice.Choose(ConfigurationSpace.Evaluate(arms, new TaskAbilities(true, false), options.Target, options.Confidence), options.Target);

        var heldOut = (long)result.HeldOut.Result!.Problems * result.Choice.Chosen!.Spec.MaxSamples;
        Assert.True(result.SamplesUsed - heldOut < 2L * options.MaxSamples * runner.Development.Count / 2, $"used {result.SamplesUsed}");
        Assert.NotNull(full.Chosen);
        Assert.True(result.Choice.Chosen.Accuracy >= full.Chosen!.Lower && result.Choice.Chosen.Accuracy <= full.Chosen.Upper,
            $"search chose {result.Choice.Chosen.Name} ({result.Choice.Chosen.Accuracy}); exhaustive {full.Chosen.Name} [{full.Chosen.Lower}, {full.Chosen.Upper}]");
    }

    [Fact]
    public void Runner_BudgetTooSmallToDecide_FailsBeforeDrawingAnything()
    {
        var sampler = new ScriptedArmSampler(_store, EasyHard);
        var options = new OptimizeOptions { Target = 0.8, Temperatures = [0], BudgetSamples = 10 };
        var runner = new OptimizeRunner("scripted", Problems, new TaskAbilities(true, false), [Small, Big], _store, sampler, options);

        var error = Assert.ThrowsAsync<ArgumentException>(() => runner.RunAsync()).Result;

        Assert.Contains("--budget-samples 10 is too small to decide", error.Message);
        Assert.Equal(0, sampler.Drawn);
        Assert.Empty(_store.ListRuns());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Options_TargetOutsideZeroOne_IsOneLineError(double target)
    {
        var error = Assert.Throws<ArgumentException>(() => new OptimizeOptions { Target = target }.Validate());
        Assert.StartsWith("--target must be in (0, 1]", error.Message);
    }

    /// <summary>
    /// Small: sample i of problem p is right when (p + i) mod 3 != 0 and otherwise a wrong answer that varies, so votes
    /// over more samples recover most problems; big: right except every fifth problem.
    /// </summary>
    private static Scripted Noisy(ArmKey arm, string problem, int index)
    {
        var p = Number(problem);
        if (arm.Candidate == "big")
        {
            return p % 5 == 0 ? new Scripted("wrong", false) : new Scripted("42", true);
        }
        return (p + index) % 3 != 0 ? new Scripted("42", true, -0.5) : new Scripted($"w{index}", false, -1.5);
    }

    private static int Number(string problem) => int.Parse(problem.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertConfiguration(ConfigurationResult result, double accuracy, double cost)
    {
        Assert.Equal(accuracy, result.Accuracy, 12);
        Assert.Equal(cost, result.CostPerProblem, 15);
        Assert.Equal(WilsonInterval.Lower(accuracy, result.Problems, 0.95), result.Lower, 12);
    }
}
