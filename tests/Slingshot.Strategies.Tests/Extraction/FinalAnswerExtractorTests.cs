using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Tests.Extraction;

public sealed class FinalAnswerExtractorTests
{
    private readonly FinalAnswerExtractor _extractor = new();

    [Theory]
    [InlineData("Let's think step by step. So the answer is (A).", "a")]
    [InlineData("So the answer is (b) 12/11/1937.", "b")]
    [InlineData("The answer is: **Yes**", "yes")]
    [InlineData("Counting them, the answer is 7.\nThanks!", "7")]
    [InlineData("Closing the brackets.\nSo the answer is ] ) >.", "] ) >")]
    [InlineData("Step one.\nStep two.\nFalse", "false")]
    [InlineData("The answer is   apple  banana\tcherry", "apple banana cherry")]
    [InlineData("the answer is -35.", "-35")]
    public void Extract_Text_ReturnsCanonicalAnswer(string text, string expected)
    {
        Assert.Equal(expected, _extractor.Extract(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  \n")]
    public void Extract_Empty_ReturnsNull(string text)
    {
        Assert.Null(_extractor.Extract(text));
    }

    [Theory]
    [InlineData("(A)", "a")]
    [InlineData(")", ")")]
    [InlineData("] ] >", "] ] >")]
    [InlineData("Yes", "yes")]
    [InlineData("valid", "valid")]
    public void NormalizeReference_BbhTarget_MatchesExtractedForm(string reference, string expected)
    {
        Assert.Equal(expected, _extractor.NormalizeReference(reference));
    }
}
