using Slingshot.Strategies.Sandbox;
using Slingshot.Strategies.Tests.Sandbox;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Verification;

[Collection(SandboxCollection.Name)]
public sealed class UnitTestVerifierTests
{
    private static readonly SandboxLimits Limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) };

    private static readonly VerificationContext AddProblem = new()
    {
        Prelude = "def add(a, b):\n    \"\"\"Returns the sum.\"\"\"\n",
        Tests = "assert add(2, 3) == 5\nassert add(-1, 1) == 0",
    };

    [SandboxFact]
    public async Task Verify_CorrectBodyCompletion_Passes()
    {
        var verifier = new UnitTestVerifier(new BubblewrapSandbox(), Limits);

        var verdict = await verifier.VerifyAsync("    return a + b\n", AddProblem);

        Assert.Equal(Verdict.Pass("passed"), verdict);
        Assert.Equal("unit-tests", verifier.Name);
    }

    [SandboxFact]
    public async Task Verify_WrongBody_FailsWithTheAssertion()
    {
        var verifier = new UnitTestVerifier(new BubblewrapSandbox(), Limits);

        var verdict = await verifier.VerifyAsync("    return a - b\n", AddProblem);

        Assert.False(verdict.Passed);
        Assert.Equal("exit status 1: AssertionError", verdict.Reason);
    }

    [SandboxFact]
    public async Task Verify_FencedFunctionInProse_RunsOnlyTheBlock()
    {
        var verifier = new UnitTestVerifier(new BubblewrapSandbox(), Limits);
        const string Sample = "Sure! Here it is:\n\n```python\ndef add(a, b):\n    return a + b\n```\n\nThis adds the numbers.";

        var verdict = await verifier.VerifyAsync(Sample, AddProblem with { Prelude = null });

        Assert.True(verdict.Passed, verdict.Reason);
    }

    [SandboxFact]
    public async Task Verify_ProseWithoutBlock_FailsAsSyntaxError()
    {
        var verifier = new UnitTestVerifier(new BubblewrapSandbox(), Limits);

        var verdict = await verifier.VerifyAsync("I think you should add them.", AddProblem);

        Assert.False(verdict.Passed);
        Assert.StartsWith("exit status 1: ", verdict.Reason);
        Assert.Contains("Error", verdict.Reason);
    }

    [SandboxTheory]
    [InlineData("    return a - b\nimport sys\nsys.exit(0)\n")]
    [InlineData("    return a - b\nimport os\nos._exit(0)\n")]
    [InlineData("    return a - b\n\nif __name__ == \"__main__\":\n    import sys\n    sys.exit()\n")]
    [InlineData("    import sys\n    sys.exit(0)\n")]
    public async Task Verify_WrongCodeThatExitsBeforeTheTests_FailsAsEarlyExit(string sample)
    {
        var verifier = new UnitTestVerifier(new BubblewrapSandbox(), Limits);

        var verdict = await verifier.VerifyAsync(sample, AddProblem);

        Assert.Equal(Verdict.Fail("exited before the tests finished"), verdict);
    }

    [SandboxFact]
    public async Task Verify_CorrectCodeWithAMainBlockThatDoesNotExit_Passes()
    {
        var verifier = new UnitTestVerifier(new BubblewrapSandbox(), Limits);

        var verdict = await verifier.VerifyAsync("    return a + b\n\nif __name__ == \"__main__\":\n    print(add(1, 2))\n", AddProblem);

        Assert.True(verdict.Passed, verdict.Reason);
    }

    [SandboxFact]
    public async Task Verify_EndlessLoop_FailsAsTimedOut()
    {
        var verifier = new UnitTestVerifier(new BubblewrapSandbox(), Limits with { WallTime = TimeSpan.FromSeconds(1) });

        var verdict = await verifier.VerifyAsync("    while True:\n        pass\n", AddProblem);

        Assert.False(verdict.Passed);
        Assert.StartsWith("timed out after 1", verdict.Reason);
    }

    [Theory]
    [InlineData(0, false, false, "", "passed")]
    [InlineData(IsolatedTestProgram.EarlyExitStatus, false, false, "\ntest harness: the code under test ended the process\n", "exited before the tests finished")]
    [InlineData(null, true, false, "", "timed out after 0 s")]
    [InlineData(null, false, true, "", "output limit exceeded")]
    [InlineData(1, false, false, "Traceback...\n  File x\nAssertionError\n", "exit status 1: AssertionError")]
    [InlineData(null, false, false, "", "killed")]
    public void Reason_SandboxOutcome_IsOneLine(int? exitCode, bool timedOut, bool outputExceeded, string stderr, string expected)
    {
        var result = new SandboxResult(exitCode, timedOut, outputExceeded, "", stderr, TimeSpan.Zero);

        Assert.Equal(expected, UnitTestVerifier.Reason(result));
    }

    [SandboxFact]
    public async Task Verify_FencedFunctionIndentedUnderAListItem_RunsTheBlockUnindented()
    {
        var verifier = new UnitTestVerifier(new BubblewrapSandbox(), Limits);
        const string Sample = "1. Add them:\n   ```python\n   def add(a, b):\n       return a + b\n   ```\n2. Done.";

        var verdict = await verifier.VerifyAsync(Sample, AddProblem with { Prelude = null });

        Assert.Equal(Verdict.Pass("passed"), verdict);
    }

    [SandboxFact]
    public async Task Verify_EntryPointNamedLikeABuiltin_TestsCallTheSamplesFunction()
    {
        var verifier = new UnitTestVerifier(new BubblewrapSandbox(), Limits);
        var context = new VerificationContext { Tests = "assert sum(10, 15) == 6", EntryPoints = ["sum"] };
        const string Sample = "```python\ndef sum(a, b):\n    return 6\n```";

        Assert.True((await verifier.VerifyAsync(Sample, context)).Passed);
        Assert.False((await verifier.VerifyAsync(Sample, context with { EntryPoints = [] })).Passed);
    }

    [Fact]
    public void BuildProgram_WholeFunctionOfAnEntryPoint_FollowsOnlyWhatPrecedesItInThePrelude()
    {
        var context = new VerificationContext
        {
            Prelude = "import math\n\ndef helper():\n    return 1\n\ndef add(a, b):\n    \"\"\"Returns the sum.\"\"\"\n",
            Tests = "assert add(2, 3) == 5",
            EntryPoints = ["add"],
        };

        var whole = UnitTestVerifier.BuildProgram("def add(a, b):\n    return a + b", context);
        var body = UnitTestVerifier.BuildProgram("    return a + b", context);

        Assert.Equal("import math\n\ndef helper():\n    return 1\n\ndef add(a, b):\n    return a + b", whole.Code);
        Assert.Equal(context.Prelude + "    return a + b", body.Code);
        Assert.Equal(["add"], whole.Subjects);
        Assert.Equal(context.Tests, whole.Tests);
    }

    [Fact]
    public void BuildProgram_PreludeThatDoesNotDefineTheEntryPoint_IsKeptWhole()
    {
        var context = new VerificationContext { Prelude = "import math\n", Tests = "assert add(2, 3) == 5", EntryPoints = ["add"] };

        var program = UnitTestVerifier.BuildProgram("def add(a, b):\n    return a + b", context);

        Assert.Equal("import math\ndef add(a, b):\n    return a + b", program.Code);
    }

    [Fact]
    public void Describe_LongLastLine_IsOneShortLine()
    {
        var stderr = "Traceback (most recent call last):\n  File \"x\"\nValueError: " + new string('v', 500) + "\n\n";
        var result = new SandboxResult(1, false, false, "", stderr, TimeSpan.FromSeconds(1));

        var reason = UnitTestVerifier.Describe(result);

        Assert.StartsWith("exit status 1: ValueError: vvv", reason);
        Assert.EndsWith("…", reason);
        Assert.InRange(reason.Length, 200, 220);
    }

    [Fact]
    public void Describe_OutputLimit_SaysSo()
    {
        var result = new SandboxResult(null, false, true, "yyyy", "", TimeSpan.FromSeconds(1));

        Assert.Equal("output limit exceeded", UnitTestVerifier.Describe(result));
    }

    [Fact]
    public void Constructor_InvalidLimits_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new UnitTestVerifier(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new UnitTestVerifier(new UnsafeProcessSandbox(), SandboxLimits.Default with { CpuTime = TimeSpan.FromSeconds(-1) }));
    }
}
