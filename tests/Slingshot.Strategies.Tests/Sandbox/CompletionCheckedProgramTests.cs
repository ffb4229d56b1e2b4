using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

/// <summary>A program passes only when it exits 0 and ran past its tests to the token line.</summary>
[Collection(SandboxCollection.Name)]
public sealed class CompletionCheckedProgramTests
{
    private static readonly SandboxLimits Limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) };

    /// <summary>Model code that ends the process before the failing assertion after it can run.</summary>
    public static TheoryData<string> EarlyExits { get; } = new()
    {
        "import sys\nsys.exit(0)",
        "import sys\nsys.exit()",
        "import os\nos._exit(0)",
        "if __name__ == '__main__':\n    import sys\n    sys.exit(0)",
        "if __name__ == '__main__':\n    import unittest\n    unittest.main()",
        "raise SystemExit",
    };

    [Fact]
    public void Create_SameProgramTwice_GetsDifferentTokens()
    {
        var first = CompletionCheckedProgram.Create("assert True");
        var second = CompletionCheckedProgram.Create("assert True");

        Assert.StartsWith("assert True\n", first.Text, StringComparison.Ordinal);
        Assert.EndsWith(first.Token + "\\n\")\n", first.Text, StringComparison.Ordinal);
        Assert.NotEqual(first.Token, second.Token);
    }

    [Fact]
    public void Passed_ExitZeroWithoutTheToken_IsFalse()
    {
        var program = CompletionCheckedProgram.Create("assert True");
        var result = new SandboxResult(0, false, false, "slingshot-tests-finished-0123\n", "", TimeSpan.Zero);

        Assert.True(result.Succeeded);
        Assert.False(program.RanToEnd(result));
        Assert.False(program.Passed(result));
    }

    [Fact]
    public void Passed_TokenButNonZeroExit_IsFalse()
    {
        var program = CompletionCheckedProgram.Create("assert True");
        var result = new SandboxResult(1, false, false, program.Token + "\n", "", TimeSpan.Zero);

        Assert.True(program.RanToEnd(result));
        Assert.False(program.Passed(result));
    }

    [SandboxFact]
    public async Task Run_ProgramThatReachesItsEnd_Passes()
    {
        var program = CompletionCheckedProgram.Create("def add(a, b):\n    return a + b\nprint('checking')\nassert add(2, 3) == 5");

        var result = await new BubblewrapSandbox().RunPythonAsync(program.Text, Limits);

        Assert.True(program.Passed(result), result.Stderr);
    }

    [SandboxFact]
    public async Task Run_StdoutReplacedAndPrintShadowed_StillPasses()
    {
        var program = CompletionCheckedProgram.Create("import io, sys\nsys.stdout = io.StringIO()\nprint = None\nassert True");

        var result = await new BubblewrapSandbox().RunPythonAsync(program.Text, Limits);

        Assert.True(program.Passed(result), result.Stderr);
    }

    [SandboxTheory]
    [MemberData(nameof(EarlyExits))]
    public async Task Run_CodeThatExitsBeforeTheTests_Fails(string earlyExit)
    {
        var program = CompletionCheckedProgram.Create(earlyExit + "\nassert 1 == 2, 'the tests ran'");

        var result = await new BubblewrapSandbox().RunPythonAsync(program.Text, Limits);

        Assert.DoesNotContain("the tests ran", result.Stderr, StringComparison.Ordinal);
        Assert.False(program.RanToEnd(result));
        Assert.False(program.Passed(result));
    }

    [SandboxFact]
    public async Task Run_ExitInsideTheFunctionTheTestsCall_Fails()
    {
        var program = CompletionCheckedProgram.Create("import sys\ndef add(a, b):\n    sys.exit(0)\nassert add(2, 3) == 5");

        var result = await new BubblewrapSandbox().RunPythonAsync(program.Text, Limits);

        Assert.Equal(0, result.ExitCode);
        Assert.False(program.Passed(result));
    }
}
