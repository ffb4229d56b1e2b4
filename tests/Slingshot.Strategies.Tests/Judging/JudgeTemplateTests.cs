using Slingshot.Strategies.Judging;

namespace Slingshot.Strategies.Tests.Judging;

public sealed class JudgeTemplateTests
{
    [Fact]
    public void Fill_AllPlaceholders_AreReplaced()
    {
        var template = JudgeTemplate.Custom("Q={question}; C={candidate}; R={reference}; C again={candidate}");

        Assert.Equal("Q=2+2; C=4; R=four; C again=4", template.Fill("2+2", "4", "four"));
    }

    [Fact]
    public void Fill_PlaceholderInsideCandidate_IsNotFilledAgain()
    {
        var filled = JudgeTemplate.Custom("{candidate} / {reference}").Fill("q", "my {reference}", "ref");

        Assert.Equal("my {reference} / ref", filled);
    }

    [Fact]
    public void Fill_MissingValues_ReadNone()
    {
        Assert.Contains("Reference answer: (none)", JudgeTemplate.Correct.Fill(null, "x", null));
    }

    [Theory]
    [InlineData("correct")]
    [InlineData("Grounded")]
    [InlineData("safe")]
    public void Preset_KnownName_EndsAskingForYesOrNo(string name)
    {
        var preset = JudgeTemplate.Preset(name);

        Assert.Equal(name.ToLowerInvariant(), preset.Name);
        Assert.EndsWith("Answer yes or no.\nAnswer:", preset.Text);
        Assert.Contains("{candidate}", preset.Text);
    }

    [Fact]
    public void Preset_UnknownName_ThrowsListingTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => JudgeTemplate.Preset("helpful"));

        Assert.Contains("correct, grounded, safe", error.Message);
    }
}
