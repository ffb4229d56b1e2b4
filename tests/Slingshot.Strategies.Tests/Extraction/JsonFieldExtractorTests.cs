using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Tests.Extraction;

public sealed class JsonFieldExtractorTests
{
    [Theory]
    [InlineData("answer", "{\"answer\": \"Paris\"}", "Paris")]
    [InlineData("answer", "Sure! {\"answer\": 42, \"why\": \"{not json}\"} done", "42")]
    [InlineData("result.value", "```json\n{\"result\": {\"value\": true}}\n```", "true")]
    [InlineData("items.1", "{\"items\": [\"a\", \"b\"]}", "b")]
    [InlineData("items", "{\"items\": [1, 2]}", "[1,2]")]
    [InlineData("answer", "In set {1, 2} the result is {\"answer\": \"x\"}", "x")]
    public void Extract_Field_ReturnsItAsText(string path, string text, string expected)
    {
        Assert.Equal(expected, new JsonFieldExtractor(path).Extract(text));
    }

    [Theory]
    [InlineData("{\"other\": 1}")]
    [InlineData("{\"answer\": null}")]
    [InlineData("no json here")]
    [InlineData("{\"answer\": \"unterminated")]
    public void Extract_MissingField_ReturnsNull(string text)
    {
        Assert.Null(new JsonFieldExtractor("answer").Extract(text));
    }

    [Fact]
    public void Extract_FirstObjectLacksField_DoesNotSearchLaterObjects()
    {
        Assert.Null(new JsonFieldExtractor("answer").Extract("{\"draft\": 1} {\"answer\": 2}"));
    }

    [Fact]
    public void Constructor_EmptySegment_Throws()
    {
        Assert.Throws<ArgumentException>(() => new JsonFieldExtractor("a..b"));
    }
}
