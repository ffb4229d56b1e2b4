using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Tests.Extraction;

public sealed class ExtractorRegistryTests
{
    [Theory]
    [InlineData("gsm8k-strict", typeof(Gsm8kStrictExtractor))]
    [InlineData("gsm8k-flexible", typeof(Gsm8kFlexibleExtractor))]
    [InlineData("math-boxed", typeof(MathBoxedExtractor))]
    [InlineData("choice", typeof(MultipleChoiceExtractor))]
    [InlineData("yes-no", typeof(YesNoExtractor))]
    [InlineData("final-answer", typeof(FinalAnswerExtractor))]
    [InlineData("code", typeof(CodeBlockExtractor))]
    [InlineData("json-field:answer", typeof(JsonFieldExtractor))]
    public void Create_KnownName_ReturnsExtractorWithThatName(string name, Type expected)
    {
        var extractor = ExtractorRegistry.Create(name);
        Assert.IsType(expected, extractor);
        Assert.Equal(name, extractor.Name);
    }

    [Fact]
    public void Create_ChoiceWithCount_SetsCount()
    {
        var extractor = Assert.IsType<MultipleChoiceExtractor>(ExtractorRegistry.Create("choice:4:numeric"));
        Assert.Equal(4, extractor.ChoiceCount);
        Assert.True(extractor.NumericKeys);
    }

    [Theory]
    [InlineData("gsm8k")]
    [InlineData("choice:1")]
    [InlineData("choice:x")]
    [InlineData("json-field:")]
    public void Create_UnknownName_ThrowsListingValidNames(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => ExtractorRegistry.Create(name));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains("gsm8k-strict", error.Message, StringComparison.Ordinal);
        Assert.Contains("json-field:", error.Message, StringComparison.Ordinal);
    }
}
