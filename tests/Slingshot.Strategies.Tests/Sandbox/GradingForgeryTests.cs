using Slingshot.Strategies.Sandbox;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Sandbox;

/// <summary>
/// Wrong code that sets out to be graded as passing: each sample below computes the wrong answer and then
/// tries to fake the verdict. Every one must fail.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class GradingForgeryTests
{
    private static readonly SandboxLimits Limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) };

    private static readonly VerificationContext AddProblem = new()
    {
        Prelude = "def add(a, b):\n",
        Tests = "assert add(2, 3) == 5\nassert add(-1, 1) == 0",
    };

    [SandboxFact]
    public async Task Verify_CodeThatReadsItsProgramFileAndPrintsTheSuccessToken_Fails()
    {
        // The completion token of the old in-process check sat in the program file, readable by the code.
        const string Forger = """
                return 0
            import os, re, sys
            text = open(sys.argv[0]).read()
            for token in re.findall(r'slingshot-tests-finished-[0-9a-f]+', text):
                os.write(1, ('\n' + token + '\n').encode())
            os._exit(0)
            """;

        var verdict = await Verifier().VerifyAsync(Forger, AddProblem);

        Assert.False(verdict.Passed, verdict.Reason);
    }

    [SandboxFact]
    public async Task Verify_CodeThatExitsZeroWhenTheTestsCallIt_Fails()
    {
        var verdict = await Verifier().VerifyAsync("    import os\n    os._exit(0)\n", AddProblem);

        Assert.Equal(Verdict.Fail("exited before the tests finished"), verdict);
    }

    [SandboxFact]
    public async Task Verify_CodeThatHuntsForTheTestsInItsProcess_FindsNothingAndFails()
    {
        // The expected value exists only in the tests. Code that could read them (a file, the environment,
        // a descriptor, its own heap, its parent's memory) would return it and pass.
        var context = new VerificationContext
        {
            Prelude = "def answer():\n",
            Tests = "EXPECTED = 'sec' + 'ret-7f3a9c'\nassert answer() == EXPECTED",
        };
        const string Hunter = """
                import gc, glob, os, re, sys
                pattern = re.compile(rb'secret-[0-9a-f]{5}c')
                def search(data):
                    found = pattern.search(data)
                    return found.group(0).decode() if found else None
                places = ['/proc/self/environ', '/proc/self/cmdline', sys.argv[0]] + glob.glob('/tmp/*')
                parent = os.getppid()
                places += [f'/proc/{parent}/environ', f'/proc/{parent}/cmdline']
                places += glob.glob('/proc/self/fd/*') + glob.glob(f'/proc/{parent}/fd/*')
                for place in places:
                    try:
                        fd = os.open(place, os.O_RDONLY | os.O_NONBLOCK)
                        try:
                            found = search(os.read(fd, 1 << 20))
                        finally:
                            os.close(fd)
                        if found:
                            return found
                    except OSError:
                        pass
                try:
                    with open(f'/proc/{parent}/maps') as maps, open(f'/proc/{parent}/mem', 'rb') as mem:
                        for line in maps:
                            start, end = (int(x, 16) for x in line.split()[0].split('-'))
                            try:
                                mem.seek(start)
                                found = search(mem.read(min(end - start, 1 << 24)))
                                if found:
                                    return found
                            except (OSError, ValueError, OverflowError):
                                pass
                except OSError:
                    pass
                for obj in gc.get_objects():
                    if isinstance(obj, (str, bytes)):
                        found = search(obj.encode() if isinstance(obj, str) else obj)
                        if found:
                            return found
                frame = sys._getframe()
                while frame:
                    for value in list(frame.f_locals.values()) + list(frame.f_globals.values()):
                        if isinstance(value, str) and 'secret-' in value:
                            return value
                    frame = frame.f_back
                return 'not found'
            """;

        var verdict = await Verifier().VerifyAsync(Hunter, context);

        Assert.False(verdict.Passed, verdict.Reason);
        Assert.Contains("AssertionError", verdict.Reason);
    }

    [SandboxTheory]
    [InlineData("class Anything:\n    def __eq__(self, other):\n        return True\n    def __ne__(self, other):\n        return False\n")]
    [InlineData("class Anything(int):\n    def __eq__(self, other):\n        return True\n    def __ne__(self, other):\n        return False\n")]
    [InlineData("class Anything(list):\n    def __eq__(self, other):\n        return True\n    def __ne__(self, other):\n        return False\n")]
    public async Task Verify_ResultThatEqualsEverything_Fails(string alwaysEqual)
    {
        var context = new VerificationContext
        {
            Prelude = alwaysEqual + "def add(a, b):\n",
            Tests = "assert add(2, 3) == 5\nassert 5 == add(2, 3)",
        };

        var verdict = await Verifier().VerifyAsync("    return Anything()\n", context);

        Assert.False(verdict.Passed, verdict.Reason);
    }

    [SandboxFact]
    public async Task Verify_CodeThatRedefinesABuiltinTheTestsCheckWith_Fails()
    {
        var context = new VerificationContext
        {
            Prelude = "def area(r):\n",
            Tests = "assert abs(area(1) - 3.14159) < 1e-3\nassert abs(area(2) - 12.566) < 1e-2",
        };

        var verdict = await Verifier().VerifyAsync("    return 0\n\ndef abs(x):\n    return 0\n", context);

        Assert.False(verdict.Passed, verdict.Reason);
    }

    [SandboxFact]
    public async Task Verify_CodeThatPlantsAModuleTheTestsImport_Fails()
    {
        var context = new VerificationContext
        {
            Prelude = "def roll():\n",
            Tests = "def check():\n    import fractions\n    assert roll() == fractions.Fraction(1, 3)\ncheck()",
        };
        const string Planter = """
                return 0
            with open('fractions.py', 'w') as planted:
                planted.write('import os\nos._exit(0)\n')
            """;

        var verdict = await Verifier().VerifyAsync(Planter, context);

        Assert.False(verdict.Passed, verdict.Reason);
    }

    private static UnitTestVerifier Verifier() => new(new BubblewrapSandbox(), Limits);
}
