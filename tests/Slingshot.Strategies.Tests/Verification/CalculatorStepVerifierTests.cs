using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Verification;

/// <summary>The reference-free check of GSM8K calculator steps, on the gsm-arith task's own format.</summary>
public sealed class CalculatorStepVerifierTests
{
    private const string Question = "Sam has 18 stickers. He gives 13 to his sister. He gets 3 boxes with 3 stickers in each. "
        + "Then he doubles the number of stickers. How many stickers does Sam have now?";

    private const string Solution = "After giving 13 away he has 18-13=<<18-13=5>>5 stickers.\n"
        + "The boxes hold 3*3=<<3*3=9>>9 stickers.\nNow he has 5+9=<<5+9=14>>14 stickers.\n"
        + "Doubling gives 14*2=<<14*2=28>>28 stickers.\n#### 28";

    private readonly CalculatorStepVerifier verifier = new();

    private ValueTask<Verdict> Verify(string text, string? question = Question) =>
        verifier.VerifyAsync(text, new VerificationContext { Question = question });

    [Fact]
    public async Task Verify_ReferenceSolution_PassesWithoutAReference()
    {
        var verdict = await Verify(Solution);

        Assert.True(verdict.Passed, verdict.Reason);
        Assert.Equal("4 calculator steps check out, answer 28", verdict.Reason);
        Assert.Equal("calculator", verifier.Name);
    }

    [Fact]
    public async Task Verify_WrongArithmetic_FailsNamingTheStep()
    {
        var verdict = await Verify(Solution.Replace("<<5+9=14>>14", "<<5+9=15>>15", StringComparison.Ordinal));

        Assert.Equal(Verdict.Fail("step 5+9=15 is wrong"), verdict);
    }

    [Fact]
    public async Task Verify_OperandNotInQuestionOrEarlierStep_Fails()
    {
        // Right arithmetic on a number the problem never gave: how a small model's lucky answers look.
        var verdict = await Verify("He has 17+11=<<17+11=28>>28 stickers.\n#### 28");

        Assert.Equal(Verdict.Fail("operand 17 is neither in the question nor an earlier result"), verdict);
    }

    [Fact]
    public async Task Verify_WithoutGrounding_AcceptsOperandsTheQuestionLacks()
    {
        var loose = new CalculatorStepVerifier(requireGroundedOperands: false);

        var verdict = await loose.VerifyAsync("60 minutes: 60*2=<<60*2=120>>120\n#### 120", VerificationContext.Empty);

        Assert.True(verdict.Passed, verdict.Reason);
    }

    [Theory]
    [InlineData("The boxes hold 3*3=<<3*3=9>>9 stickers.\n#### 10", "answer 10 is not the last step's result 9")]
    [InlineData("The boxes hold 3*3=<<3*3=9>>9 stickers.", "no final answer after '#### '")]
    [InlineData("#### 28", "no calculator steps (<<a+b=c>>)")]
    [InlineData("The boxes hold 3*3=<<3*3=9>>8 stickers.\n#### 8", "step shows 8 after computing 9")]
    public async Task Verify_MalformedSolution_FailsWithTheReason(string text, string reason)
    {
        Assert.Equal(Verdict.Fail(reason), await Verify(text));
    }

    [Fact]
    public async Task Verify_NoQuestionWhileGrounding_FailsRatherThanGuessing()
    {
        Assert.Equal(Verdict.Fail("no question to check the operands against"), await Verify(Solution, question: null));
    }

    [Fact]
    public async Task Verify_MultiplierWordsAndDecimals_AreKnownOperands()
    {
        var verdict = await Verify("Half of 7.5 is 7.5/2=<<7.5/2=3.75>>3.75\n#### 3.75", "Ann has 7.5 liters and gives half away.");

        Assert.True(verdict.Passed, verdict.Reason);
    }

    [Theory]
    [InlineData("<<1+99999999999999999999999999999999=1>>1\n#### 1", "step <<1+99999999999999999999999999999999=1>>1 has a number too large to check")]
    [InlineData("<<79228162514264337593543950335*2=1>>1\n#### 1", "step 79228162514264337593543950335*2=1 is wrong")]
    public async Task Verify_NumbersBeyondDecimalRange_FailInsteadOfThrowing(string text, string reason)
    {
        var verdict = await Verify(text, "Ann has 99999999999999999999999999999999 apples and 79228162514264337593543950335 pens.");

        Assert.Equal(Verdict.Fail(reason), verdict);
    }
}
