using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

/// <summary>The tests run in their own process and pass only when they reach their end; the code under test cannot end them early.</summary>
[Collection(SandboxCollection.Name)]
public sealed class IsolatedTestProgramTests
{
    private static readonly SandboxLimits Limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) };

    /// <summary>Model code that ends the process before the failing assertion in the tests can run.</summary>
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
    public void Create_CodeTestsAndSubjects_TravelOnStandardInputNotInTheProgram()
    {
        var program = IsolatedTestProgram.Create("def add(a, b):\n    return a + b", "assert add(2, 3) == 5", ["add"]);

        Assert.Equal("31 21 3\ndef add(a, b):\n    return a + bassert add(2, 3) == 5add", program.Stdin);
        Assert.DoesNotContain("assert add", IsolatedTestProgram.Harness, StringComparison.Ordinal);
        Assert.StartsWith("# Runs tests against code in another process", IsolatedTestProgram.Harness, StringComparison.Ordinal);
        Assert.DoesNotContain("#include", IsolatedTestProgram.Harness, StringComparison.Ordinal);
        Assert.Contains("class _Reader:", IsolatedTestProgram.Harness, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NonAsciiCode_CountsBytesNotCharacters()
    {
        var program = IsolatedTestProgram.Create("s = 'é😀'", "assert s");

        Assert.StartsWith("12 8 0\n", program.Stdin, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false, false, true, false)]
    [InlineData(IsolatedTestProgram.EarlyExitStatus, false, false, false, true)]
    [InlineData(1, false, false, false, false)]
    [InlineData(null, true, false, false, false)]
    [InlineData(0, false, true, false, false)]
    public void PassedAndEndedEarly_FollowTheTestsExitStatus(int? exitCode, bool timedOut, bool outputExceeded, bool passed, bool endedEarly)
    {
        var result = new SandboxResult(exitCode, timedOut, outputExceeded, "", "", TimeSpan.Zero);

        Assert.Equal(passed, IsolatedTestProgram.Passed(result));
        Assert.Equal(endedEarly, IsolatedTestProgram.EndedEarly(result));
    }

    [SandboxFact]
    public async Task Run_CodeThatPassesItsTests_PassesWithItsOutputKept()
    {
        var program = IsolatedTestProgram.Create("def add(a, b):\n    print('adding', a, b)\n    return a + b\nprint('loaded')",
            "print('checking')\nassert add(2, 3) == 5");

        var result = await program.RunAsync(new BubblewrapSandbox(), Limits);

        Assert.True(IsolatedTestProgram.Passed(result), result.Stderr);
        Assert.Equal("loaded\nchecking\nadding 2 3\n", result.Stdout);
    }

    [SandboxFact]
    public async Task Run_StdoutReplacedAndPrintShadowedByTheCode_StillPasses()
    {
        var program = IsolatedTestProgram.Create("import io, sys\nsys.stdout = io.StringIO()\nprint = None\ndef one():\n    return 1",
            "print('tests print')\nassert one() == 1");

        var result = await program.RunAsync(new BubblewrapSandbox(), Limits);

        Assert.True(IsolatedTestProgram.Passed(result), result.Stderr);
        Assert.Contains("tests print", result.Stdout);
    }

    [SandboxTheory]
    [MemberData(nameof(EarlyExits))]
    public async Task Run_CodeThatExitsBeforeTheTests_Fails(string earlyExit)
    {
        var program = IsolatedTestProgram.Create(earlyExit, "assert 1 == 2, 'the tests ran'");

        var result = await program.RunAsync(new BubblewrapSandbox(), Limits);

        Assert.DoesNotContain("the tests ran", result.Stderr, StringComparison.Ordinal);
        Assert.False(IsolatedTestProgram.Passed(result));
    }

    [SandboxFact]
    public async Task Run_ExitInsideTheFunctionTheTestsCall_FailsAsEarlyExit()
    {
        var program = IsolatedTestProgram.Create("import sys\ndef add(a, b):\n    sys.exit(0)", "assert add(2, 3) == 5");

        var result = await program.RunAsync(new BubblewrapSandbox(), Limits);

        Assert.Equal(IsolatedTestProgram.EarlyExitStatus, result.ExitCode);
        Assert.True(IsolatedTestProgram.EndedEarly(result));
        Assert.Contains("ended the process before the tests finished", result.Stderr);
    }

    [SandboxFact]
    public async Task Run_TestsThatCatchEverything_StillFailWhenTheCodeEndsItsProcess()
    {
        // An exception in the tests' process could be swallowed by the tests; the end of the code's process is not an exception.
        var program = IsolatedTestProgram.Create("import os\ndef add(a, b):\n    os._exit(0)",
            "try:\n    add(2, 3)\nexcept BaseException:\n    pass");

        var result = await program.RunAsync(new BubblewrapSandbox(), Limits);

        Assert.True(IsolatedTestProgram.EndedEarly(result));
    }

    [SandboxFact]
    public async Task Run_ValuesOfEveryPlainKind_CrossBothWays()
    {
        const string Code = """
            import collections, decimal, fractions
            def echo(value):
                return value
            def make():
                return {'big': 3 ** 200, 'neg': -(2 ** 70), 'nan': float('nan'), 'inf': float('-inf'), 'c': 1 - 2j,
                        'b': b'\x00\xff', 'ba': bytearray(b'ab'), 't': (1, (2,)), 's': {1, 2}, 'f': frozenset('ab'),
                        'none': None, (1, 2): [True, False], 'd': decimal.Decimal('1.10'), 'q': fractions.Fraction(1, 3),
                        'r': range(1, 10, 3), 'od': collections.OrderedDict(a=1), 'ct': collections.Counter('aab'),
                        'dq': collections.deque([1, 2]), 'e': ..., 'u': 'é\ud800'}
            """;
        const string Tests = """
            import collections, decimal, fractions, math
            made = make()
            assert made['big'] == 3 ** 200 and made['neg'] == -(2 ** 70) and math.isnan(made['nan'])
            assert made['inf'] == float('-inf') and made['c'] == 1 - 2j and made['b'] == b'\x00\xff'
            assert type(made['ba']) is bytearray and made['t'] == (1, (2,)) and made['s'] == {1, 2}
            assert made['f'] == frozenset('ab') and made['none'] is None and made[(1, 2)] == [True, False]
            assert made['d'] == decimal.Decimal('1.10') and str(made['d']) == '1.10' and made['q'] == fractions.Fraction(1, 3)
            assert made['r'] == range(1, 10, 3) and type(made['od']) is collections.OrderedDict
            assert made['ct'] == collections.Counter('aab') and made['dq'] == collections.deque([1, 2])
            assert made['e'] is ... and made['u'] == 'é\ud800'
            assert echo(made) == made or math.isnan(echo(made)['nan'])
            assert echo([1, 'two', (3.0,)]) == [1, 'two', (3.0,)]
            """;

        var result = await IsolatedTestProgram.Create(Code, Tests).RunAsync(new BubblewrapSandbox(), Limits);

        Assert.True(IsolatedTestProgram.Passed(result), result.Stderr);
    }

    [SandboxFact]
    public async Task Run_ObjectsOfTheCodesOwnClasses_StayThereAndAreUsedThroughHandles()
    {
        // MBPP 367 builds a tree of the code's own Node class in its setup code; generators and iterators stay behind too.
        const string Code = """
            class Node:
                def __init__(self, data):
                    self.data, self.left = data, None
                def __eq__(self, other):
                    return isinstance(other, Node) and self.data == other.data
                def __hash__(self):
                    return hash(self.data)
            def depth(node):
                return 0 if node is None else 1 + depth(node.left)
            def count_up(n):
                yield from range(n)
            def nodes():
                return {Node(1), Node(2), Node(1)}
            class Oops(Exception):
                pass
            def fail():
                raise Oops('custom')
            def bad_value():
                raise ValueError('bad', 7)
            """;
        const string Tests = """
            root = Node(1)
            root.left = Node(2)
            root.left.left = Node(3)
            assert depth(root) == 3 and root.left.data == 2
            assert Node(5) == Node(5) and Node(5) != Node(6) and len({Node(5), Node(5)}) == 1
            assert Node(5) != 5 and not (Node(5) == 5)
            assert len(nodes()) == 2 and Node(2) in nodes()
            assert list(count_up(4)) == [0, 1, 2, 3] and sum(count_up(5)) == 10
            try:
                bad_value()
                raise AssertionError('no error')
            except ValueError as error:
                assert error.args == ('bad', 7)
            try:
                fail()
                raise AssertionError('no error')
            except Exception as error:
                assert 'Oops' in str(error) and 'custom' in str(error)
            """;

        var result = await IsolatedTestProgram.Create(Code, Tests).RunAsync(new BubblewrapSandbox(), Limits);

        Assert.True(IsolatedTestProgram.Passed(result), result.Stderr);
    }

    [SandboxFact]
    public async Task Run_TestObjectTheCodeCannotUnpickle_FailsAsAnErrorInTheTests()
    {
        var program = IsolatedTestProgram.Create("def size(x):\n    return len(x.items)",
            "class Box:\n    items = [1, 2]\ntry:\n    size(Box())\nexcept AttributeError as error:\n    print('refused:', error)\n");

        var result = await program.RunAsync(new BubblewrapSandbox(), Limits);

        Assert.True(IsolatedTestProgram.Passed(result), result.Stderr);
        Assert.Contains("refused: Can't get attribute 'Box'", result.Stdout);
    }

    [SandboxFact]
    public async Task Run_BuiltinNamedFunctionUnderTest_IsVisibleToTheTestsOnlyAsASubject()
    {
        const string Code = "def sum(a, b):\n    return len(str(a + b))";
        const string Tests = "assert sum(10, 15) == 2";

        var asSubject = await IsolatedTestProgram.Create(Code, Tests, ["sum"]).RunAsync(new BubblewrapSandbox(), Limits);
        var notSubject = await IsolatedTestProgram.Create(Code, Tests).RunAsync(new BubblewrapSandbox(), Limits);

        Assert.True(IsolatedTestProgram.Passed(asSubject), asSubject.Stderr);
        Assert.Contains("TypeError", notSubject.Stderr);
    }

    [SandboxFact]
    public async Task Run_ErrorWhileLoadingTheCode_FailsWithTheCodesTraceback()
    {
        var result = await IsolatedTestProgram.Create("def broken(:\n    pass", "assert True").RunAsync(new BubblewrapSandbox(), Limits);

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("SyntaxError: invalid syntax", result.Stderr.Trim());
    }

    [SandboxFact]
    public async Task Run_ManyCalls_StayFast()
    {
        var program = IsolatedTestProgram.Create("def inc(x):\n    return x + 1", "for i in range(5000):\n    assert inc(i) == i + 1");

        var result = await program.RunAsync(new BubblewrapSandbox(), Limits);

        Assert.True(IsolatedTestProgram.Passed(result), result.Stderr);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), $"took {result.Elapsed}");
    }
}

/// <summary>The harness compiled ahead by the sandbox's interpreter runs like its source, and falls back to it.</summary>
[Collection(SandboxCollection.Name)]
public sealed class CompiledHarnessTests
{
    private static readonly SandboxLimits Limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) };

    [SandboxFact]
    public async Task ForAsync_Bubblewrap_IsBytecodeThatRunsTheTests()
    {
        var sandbox = new BubblewrapSandbox();
        var loader = await CompiledHarness.ForAsync(sandbox);
        var program = IsolatedTestProgram.Create("def add(a, b):\n    return a + b", "assert add(2, 3) == 5");

        var result = await sandbox.RunPythonAsync(loader, Limits, program.Stdin);

        Assert.StartsWith("# The test harness (Slingshot's Sandbox/TestHarness), compiled ahead", loader, StringComparison.Ordinal);
        Assert.Same(loader, await CompiledHarness.ForAsync(sandbox));
        Assert.True(IsolatedTestProgram.Passed(result), result.Stderr);
    }

    [SandboxFact]
    public async Task Loader_OtherInterpreterVersion_CompilesTheSourceInstead()
    {
        var sandbox = new BubblewrapSandbox();
        var loader = await CompiledHarness.ForAsync(sandbox);
        var elsewhere = System.Text.RegularExpressions.Regex.Replace(loader, "MAGIC_NUMBER == b'[^']*'", "MAGIC_NUMBER == b'none'");
        var program = IsolatedTestProgram.Create("def add(a, b):\n    return a - b", "assert add(2, 3) == 5");

        var result = await sandbox.RunPythonAsync(elsewhere, Limits, program.Stdin);

        Assert.NotEqual(loader, elsewhere);
        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("AssertionError", result.Stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForAsync_SandboxThatCannotRunTheCompiler_FallsBackToTheSource()
    {
        var loader = await CompiledHarness.ForAsync(new FailingSandbox());

        Assert.Equal(IsolatedTestProgram.Harness, loader);
    }

    private sealed class FailingSandbox : ICodeSandbox
    {
        public string Description => "fails";

        public Task<SandboxResult> RunPythonAsync(string program, SandboxLimits? limits = null, string? stdin = null,
            CancellationToken cancellationToken = default) =>
            Task.FromResult(new SandboxResult(1, false, false, "", "no python here", TimeSpan.Zero));
    }
}
