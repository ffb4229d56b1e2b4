using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Tests.Extraction;

/// <summary>
/// Golden cases for GSM8K extraction as lm-evaluation-harness does it: its regular expressions, then commas,
/// dollar signs and one trailing period removed, and no other rewriting.
/// </summary>
public sealed class Gsm8kExtractorTests
{
    private readonly Gsm8kStrictExtractor _strict = new();
    private readonly Gsm8kFlexibleExtractor _flexible = new();

    [Theory]
    [InlineData("She makes 9 * 2 = $<<9*2=18>>18 every day.\n#### 18", "18")]
    [InlineData("#### 1,234", "1234")]
    [InlineData("#### 1,2345", "12345")]
    [InlineData("#### -3", "-3")]
    [InlineData("#### 5.", "5")]
    [InlineData("#### 18.00", "18.00")]
    [InlineData("#### .5", ".5")]
    [InlineData("There are 15 trees originally. So 21 - 15 = 6. The answer is 6.", "6")]
    [InlineData("The answer is 1,200.", "1200")]
    [InlineData("The answer is 0.50.", "0.50")]
    [InlineData("The answer is 18.\nQ: next", "18")]
    [InlineData("The answer is 7 apples.", "7")]
    // The pattern's last "." is any character, so with nothing after the number it takes the last digit.
    [InlineData("The answer is 18", "1")]
    public void Strict_StatedAnswer_ReturnsNormalizedNumber(string text, string expected)
    {
        Assert.Equal(expected, _strict.Extract(text));
    }

    [Theory]
    [InlineData("So she has 8 dollars left.")]
    [InlineData("The answer is eight.")]
    [InlineData("the answer is 5.")]
    [InlineData("the answer is 7")]
    [InlineData("The answer is $1,200.")]
    [InlineData("#### $5.")]
    [InlineData("####18")]
    [InlineData("")]
    public void Strict_NoStatementInTheExactFormat_ReturnsNull(string text)
    {
        Assert.Null(_strict.Extract(text));
    }

    [Fact]
    public void Strict_TwoStatements_FirstCounts()
    {
        Assert.Equal("6", _strict.Extract("The answer is 6.\n\nQ: Another question\nA: The answer is 9."));
        Assert.Equal("4", _strict.Extract("#### 4\nThe answer is 9."));
    }

    [Theory]
    [InlineData("9 * 2 = 18 dollars. So she makes 18.", "18")]
    [InlineData("She earns $1,234.00 in total", "1234.00")]
    [InlineData("She earns $18.", "18")]
    [InlineData("The values are 1,2,3", "123")]
    [InlineData("The total is 1,2345", "12345")]
    [InlineData("Temperature drops to -3 degrees.", "-3")]
    [InlineData("It is 2.5 hours", "2.5")]
    [InlineData("Half of it: .5", ".5")]
    [InlineData("Step 1: 4 + 4 = 8\n#### 8", "8")]
    [InlineData("The answer is 5", "5")]
    [InlineData("the answer is 5.", "5")]
    public void Flexible_Text_ReturnsLastNumber(string text, string expected)
    {
        Assert.Equal(expected, _flexible.Extract(text));
    }

    [Fact]
    public void Flexible_NoNumber_ReturnsNull()
    {
        Assert.Null(_flexible.Extract("I do not know."));
    }

    [Theory]
    [InlineData("18", "18")]
    [InlineData("18.0", "18.0")]
    [InlineData("Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18.\n#### 18", "18")]
    [InlineData("#### 1,000", "1000")]
    [InlineData("1,2345", "12345")]
    [InlineData("$5.", "5")]
    [InlineData(".5", ".5")]
    [InlineData("-3", "-3")]
    public void NormalizeReference_AnswerFieldOrNumber_MatchesExtractedForm(string reference, string expected)
    {
        Assert.Equal(expected, _strict.NormalizeReference(reference));
        Assert.Equal(expected, _flexible.NormalizeReference(reference));
    }

    [Fact]
    public void Normalized_DifferentSpellings_AreDifferentAnswers()
    {
        Assert.NotEqual(_flexible.NormalizeReference("18"), _flexible.Extract("She makes 18.00"));
        Assert.NotEqual(_strict.NormalizeReference("18"), _strict.Extract("#### 18.00"));
        Assert.NotEqual(_flexible.Extract("-3"), _flexible.Extract("3"));
        Assert.NotEqual(_flexible.Extract("0.5"), _flexible.Extract(".5"));
        Assert.Equal(_flexible.NormalizeReference("#### 1,000"), _flexible.Extract("It costs $1,000."));
    }
}
