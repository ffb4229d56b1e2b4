using System.Text.RegularExpressions;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Verification;

public sealed partial class ReferenceMatchVerifierTests
{
    private readonly ReferenceMatchVerifier verifier = new(new LastNumberExtractor());

    [Fact]
    public async Task Verify_ExtractedAnswerEqualsNormalizedReference_Passes()
    {
        var verdict = await verifier.VerifyAsync("So the total is 1,234.", new VerificationContext { Reference = "1234" });

        Assert.Equal(Verdict.Pass("answer 1234 matches the reference"), verdict);
        Assert.Equal("match", verifier.Name);
    }

    [Fact]
    public async Task Verify_ReferenceNeedsNormalizing_ComparesCanonicalForms()
    {
        var verdict = await verifier.VerifyAsync("It is 18", new VerificationContext { Reference = "$18." });

        Assert.True(verdict.Passed, verdict.Reason);
    }

    [Fact]
    public async Task Verify_DifferentAnswer_SaysExpectedAndGot()
    {
        var verdict = await verifier.VerifyAsync("I get 17", new VerificationContext { Reference = "18" });

        Assert.Equal(Verdict.Fail("expected 18, got 17"), verdict);
    }

    [Fact]
    public async Task Verify_AnswerGiven_IsUsedInsteadOfTheText()
    {
        var context = new VerificationContext { Reference = "18", Answer = "18" };

        var verdict = await verifier.VerifyAsync("the text says 17", context);

        Assert.True(verdict.Passed, verdict.Reason);
    }

    [Fact]
    public async Task Verify_NoAnswerOrNoReference_Fails()
    {
        Assert.Equal(Verdict.Fail("no answer found (expected 18)"),
            await verifier.VerifyAsync("no idea", new VerificationContext { Reference = "18" }));
        Assert.Equal(Verdict.Fail("no reference answer to compare with"),
            await verifier.VerifyAsync("18", VerificationContext.Empty));
    }

    /// <summary>A minimal extractor: the last number in the text, without commas, dollar signs or a final dot.</summary>
    private sealed partial class LastNumberExtractor : IAnswerExtractor
    {
        public string Name => "last-number";

        public string? Extract(string text) =>
            NumberPattern().Matches(text).LastOrDefault() is { } match ? NormalizeReference(match.Value) : null;

        public string NormalizeReference(string reference) => reference.Replace(",", "").Replace("$", "").TrimEnd('.');

        [GeneratedRegex(@"-?\$?\d[\d,]*(\.\d+)?")]
        private static partial Regex NumberPattern();
    }
}
