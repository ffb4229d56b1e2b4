using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Verification;

public sealed class ExternalCommandVerifierTests
{
    private static ExternalCommandVerifier Shell(string script, TimeSpan? timeout = null, int maxOutputBytes = 1 << 20) =>
        new("/bin/sh", ["-c", script], timeout, maxOutputBytes);

    [Fact]
    public async Task Verify_ExitZero_PassesWithTheLastLine()
    {
        var verifier = new ExternalCommandVerifier("grep", ["-c", "42"]);

        var verdict = await verifier.VerifyAsync("The answer is 42.\n", VerificationContext.Empty);

        Assert.Equal(Verdict.Pass("exit status 0: 1"), verdict);
        Assert.Equal("command", verifier.Name);
    }

    [Fact]
    public async Task Verify_NonZeroExit_FailsWithTheLastStderrLine()
    {
        var verifier = Shell("cat > /dev/null; echo checking; echo 'first problem' >&2; echo 'wrong total' >&2; exit 2");

        var verdict = await verifier.VerifyAsync("sample", VerificationContext.Empty);

        Assert.Equal(Verdict.Fail("exit status 2: wrong total"), verdict);
    }

    [Fact]
    public async Task Verify_SampleOnStdinAndReferenceInEnvironment_CanBeCompared()
    {
        var verifier = Shell("""test "$(cat)" = "$SLINGSHOT_REFERENCE" && test "$SLINGSHOT_ANSWER" = 7""");
        var context = new VerificationContext { Reference = "seven", Answer = "7" };

        Assert.True((await verifier.VerifyAsync("seven", context)).Passed);
        Assert.False((await verifier.VerifyAsync("eight", context)).Passed);
    }

    [Fact]
    public async Task Verify_SlowCommand_FailsAtTheTimeout()
    {
        var verifier = Shell("echo started >&2; exec sleep 30", timeout: TimeSpan.FromMilliseconds(500));

        var verdict = await verifier.VerifyAsync("", VerificationContext.Empty);

        Assert.Equal(Verdict.Fail("/bin/sh timed out after 0.5 s: started"), verdict);
    }

    [Fact]
    public async Task Verify_EndlessOutput_FailsAtTheCap()
    {
        var verifier = Shell("yes", maxOutputBytes: 4096);

        var verdict = await verifier.VerifyAsync("", VerificationContext.Empty);

        Assert.Equal(Verdict.Fail("/bin/sh wrote more than 4096 bytes"), verdict);
    }

    [Fact]
    public async Task Verify_MissingProgram_ThrowsSlingshotException()
    {
        var verifier = new ExternalCommandVerifier("/nonexistent/checker");

        var error = await Assert.ThrowsAsync<SlingshotException>(() => verifier.VerifyAsync("x", VerificationContext.Empty).AsTask());

        Assert.StartsWith("cannot run the verifier command '/nonexistent/checker'", error.Message);
    }
}
