using System.Text.RegularExpressions;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Verification;

public sealed class RegexVerifierTests
{
    [Fact]
    public async Task Verify_Matching_Passes()
    {
        var verifier = new RegexVerifier(@"^Answer: \d+$", RegexOptions.Multiline);

        var verdict = await verifier.VerifyAsync("Let me think.\nAnswer: 42\n", VerificationContext.Empty);

        Assert.True(verdict.Passed);
        Assert.Equal(@"matches /^Answer: \d+$/", verdict.Reason);
        Assert.Equal("regex", verifier.Name);
    }

    [Fact]
    public async Task Verify_NotMatching_Fails()
    {
        var verdict = await new RegexVerifier(@"^Answer: \d+$").VerifyAsync("Answer: forty-two", VerificationContext.Empty);

        Assert.False(verdict.Passed);
        Assert.Equal(@"does not match /^Answer: \d+$/", verdict.Reason);
    }

    [Fact]
    public async Task Verify_CatastrophicBacktracking_FailsWithinTheTimeout()
    {
        var verifier = new RegexVerifier("^(a+)+$", matchTimeout: TimeSpan.FromMilliseconds(50));

        var verdict = await verifier.VerifyAsync(new string('a', 40) + "!", VerificationContext.Empty);

        Assert.False(verdict.Passed);
        Assert.StartsWith("matching /^(a+)+$/ timed out", verdict.Reason);
    }

    [Fact]
    public void Constructor_InvalidPatternOrTimeout_Throws()
    {
        Assert.Throws<RegexParseException>(() => new RegexVerifier("(unclosed"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegexVerifier("x", matchTimeout: TimeSpan.Zero));
    }
}
