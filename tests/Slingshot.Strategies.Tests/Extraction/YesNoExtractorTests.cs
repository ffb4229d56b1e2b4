using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Tests.Extraction;

public sealed class YesNoExtractorTests
{
    private readonly YesNoExtractor _extractor = new();

    [Theory]
    [InlineData("Yes", "yes")]
    [InlineData("no.", "no")]
    [InlineData("No, the passage says ethanol needs more energy.", "no")]
    [InlineData("**True**", "yes")]
    [InlineData("The passage mentions it twice. The answer is no.", "no")]
    [InlineData("Answer: false", "no")]
    [InlineData("Based on the passage, I would say yes.", "yes")]
    [InlineData("Yes at first sight, but the answer is no.", "no")]
    public void Extract_Answer_ReturnsYesOrNo(string text, string expected)
    {
        Assert.Equal(expected, _extractor.Extract(text));
    }

    [Theory]
    [InlineData("Nobody knows.")]
    [InlineData("It depends on the harvest.")]
    [InlineData("")]
    public void Extract_NoAnswer_ReturnsNull(string text)
    {
        Assert.Null(_extractor.Extract(text));
    }

    [Theory]
    [InlineData("true", "yes")]
    [InlineData("False", "no")]
    [InlineData("yes", "yes")]
    public void NormalizeReference_BoolQLabel_ReturnsYesOrNo(string reference, string expected)
    {
        Assert.Equal(expected, _extractor.NormalizeReference(reference));
    }
}
