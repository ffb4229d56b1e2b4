using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Tests.Extraction;

public sealed class MultipleChoiceExtractorTests
{
    private readonly MultipleChoiceExtractor _extractor = new();

    [Theory]
    [InlineData("The answer is (B).", "B")]
    [InlineData("Answer: C", "C")]
    [InlineData("answer: (d)", "D")]
    [InlineData("The answer is **A**.", "A")]
    [InlineData("I first thought the answer is (A), but rechecking, the answer is (C).", "C")]
    [InlineData("Option (A) is wrong because of X, so (D) is right.", "D")]
    [InlineData("B", "B")]
    [InlineData("  C.\n", "C")]
    [InlineData("Let me think.\nPlanets spin faster.\n\nC", "C")]
    [InlineData("D) Planetary gravity will become stronger.", "D")]
    [InlineData("The answer is (A) because (C) is a distractor.", "A")]
    public void Extract_ChoiceStatement_ReturnsLetter(string text, string expected)
    {
        Assert.Equal(expected, _extractor.Extract(text));
    }

    [Theory]
    [InlineData("A planet that rotates faster has shorter days.")]
    [InlineData("The answer is (E).")]
    [InlineData("The answer is a shorter day.")]
    [InlineData("")]
    public void Extract_NoValidChoice_ReturnsNull(string text)
    {
        Assert.Null(_extractor.Extract(text));
    }

    [Fact]
    public void Extract_FiveOptions_AcceptsE()
    {
        Assert.Equal("E", new MultipleChoiceExtractor(5).Extract("The answer is (E)."));
    }

    [Theory]
    [InlineData("The answer is (2).", "B")]
    [InlineData("Answer: 4", "D")]
    [InlineData("The answer is C", "C")]
    public void Extract_NumericKeys_MapToLetters(string text, string expected)
    {
        Assert.Equal(expected, new MultipleChoiceExtractor(4, numericKeys: true).Extract(text));
    }

    [Fact]
    public void Extract_NumericKeysNotConfigured_IgnoresNumbers()
    {
        Assert.Null(_extractor.Extract("The answer is (2)."));
    }

    [Theory]
    [InlineData("C", "C")]
    [InlineData("(b)", "B")]
    [InlineData("3", "C")]
    public void NormalizeReference_Key_ReturnsLetter(string reference, string expected)
    {
        Assert.Equal(expected, new MultipleChoiceExtractor(4, numericKeys: true).NormalizeReference(reference));
    }

    [Theory]
    [InlineData(4, false, "choice")]
    [InlineData(5, false, "choice:5")]
    [InlineData(5, true, "choice:5:numeric")]
    public void Name_Configuration_RoundTripsThroughRegistry(int count, bool numeric, string expected)
    {
        var extractor = new MultipleChoiceExtractor(count, numeric);
        Assert.Equal(expected, extractor.Name);
        Assert.Equal(expected, ExtractorRegistry.Create(expected).Name);
    }
}
