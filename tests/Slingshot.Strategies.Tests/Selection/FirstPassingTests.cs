using Slingshot.Strategies.Selection;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Selection;

public sealed class FirstPassingTests
{
    [Fact]
    public async Task SelectAsync_OneByOne_StopsAtFirstPass()
    {
        var verifier = new ScriptedVerifier();

        var result = await FirstPassing.SelectAsync(["no", "ok 1", "ok 2"], verifier);

        Assert.Equal(1, result.Index);
        Assert.Equal(2, result.Examined);
        Assert.False(result.Verdicts[0]!.Passed);
        Assert.True(result.Verdicts[1]!.Passed);
        Assert.Null(result.Verdicts[2]);
        Assert.Equal(["no", "ok 1"], verifier.Calls.Select(c => c.Text));
    }

    [Fact]
    public async Task SelectAsync_LaterSampleFinishesFirst_LowestPassingIndexStillWins()
    {
        // Sample 1 passes slowly, sample 2 passes at once: with three judged together, 1 must still win.
        var verifier = new ScriptedVerifier { DelayOf = t => t == "ok slow" ? TimeSpan.FromMilliseconds(200) : TimeSpan.Zero };

        var result = await FirstPassing.SelectAsync(["no", "ok slow", "ok fast", "ok late"], verifier, maxParallelism: 3);

        Assert.Equal(1, result.Index);
        Assert.True(result.Verdicts[2]!.Passed);
        Assert.Null(result.Verdicts[3]);
        Assert.Equal(3, result.Examined);
    }

    [Fact]
    public async Task SelectAsync_Parallelism_IsBounded()
    {
        var verifier = new ScriptedVerifier { DelayOf = _ => TimeSpan.FromMilliseconds(20) };

        var result = await FirstPassing.SelectAsync(["a", "b", "c", "d", "e"], verifier, maxParallelism: 2);

        Assert.Null(result.Index);
        Assert.Equal(5, result.Examined);
        Assert.True(verifier.MaxInFlight <= 2, $"saw {verifier.MaxInFlight} in flight");
    }

    [Fact]
    public async Task SelectAsync_NonePass_NoSelectionWithEveryVerdict()
    {
        var result = await FirstPassing.SelectAsync(["a", "b"], new ScriptedVerifier());

        Assert.False(result.Passed);
        Assert.All(result.Verdicts, v => Assert.False(v!.Passed));
        Assert.Equal("none of 2 samples passed", result.ToSelection().Reason);
    }

    [Fact]
    public async Task SelectAsync_NoSamples_NoSelection()
    {
        var result = await FirstPassing.SelectAsync([], new ScriptedVerifier());

        Assert.Null(result.Index);
        Assert.Equal(0, result.Examined);
    }

    [Fact]
    public async Task SelectAsync_ContextPerSample_ReachesVerifier()
    {
        var verifier = new ScriptedVerifier();

        await FirstPassing.SelectAsync(["x", "y"], verifier, i => new VerificationContext { Answer = $"answer {i}" });

        Assert.Equal(["answer 0", "answer 1"], verifier.Calls.Select(c => c.Context.Answer));
    }

    [Fact]
    public async Task ToSelection_Passed_CarriesVerdictReason()
    {
        var result = await FirstPassing.SelectAsync(["no", "ok"], new ScriptedVerifier());

        var selection = result.ToSelection();

        Assert.Equal(1, selection.Index);
        Assert.Equal("sample 1 passed: 'ok' is ok", selection.Reason);
    }
}
