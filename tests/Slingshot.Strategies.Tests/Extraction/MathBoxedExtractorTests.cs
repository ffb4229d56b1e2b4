using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Tests.Extraction;

public sealed class MathBoxedExtractorTests
{
    private readonly MathBoxedExtractor _extractor = new();

    [Theory]
    [InlineData(@"So the answer is $\boxed{5}$.", "5")]
    [InlineData(@"First \boxed{3}, then correcting: \boxed{\frac{1}{2}}", @"\frac{1}{2}")]
    [InlineData(@"$\boxed{\left( 3, \frac{\pi}{2} \right)}$", @"(3,\frac{\pi}{2})")]
    [InlineData(@"\fbox{42}", "42")]
    [InlineData(@"The answer is $\boxed 7$.", "7")]
    [InlineData(@"\boxed{\{1,2\}}", @"\{1,2\}")]
    public void Extract_BoxedAnswer_ReturnsNormalizedContent(string text, string expected)
    {
        Assert.Equal(expected, _extractor.Extract(text));
    }

    [Theory]
    [InlineData("The answer is 5.")]
    [InlineData(@"\boxed{unclosed")]
    public void Extract_NoCompleteBox_ReturnsNull(string text)
    {
        Assert.Null(_extractor.Extract(text));
    }

    [Theory]
    [InlineData(@"\dfrac{3}{4}", @"\frac{3}{4}")]
    [InlineData(@"\tfrac34", @"\frac{3}{4}")]
    [InlineData(@"\frac12", @"\frac{1}{2}")]
    [InlineData(@"\frac1{2}", @"\frac{1}{2}")]
    [InlineData(@"\frac{1}2", @"\frac{1}{2}")]
    [InlineData("3/4", @"\frac{3}{4}")]
    [InlineData("0.5", @"\frac{1}{2}")]
    [InlineData(".5", @"\frac{1}{2}")]
    [InlineData(@"\sqrt2", @"\sqrt{2}")]
    [InlineData(@"2\sqrt 3", @"2\sqrt{3}")]
    [InlineData(@"\sqrt[3]{2}", @"\sqrt[3]{2}")]
    [InlineData(@"90^\circ", "90")]
    [InlineData(@"90^{\circ}", "90")]
    [InlineData(@"\$18.90", "18.90")]
    [InlineData(@"10\%", "10")]
    [InlineData("10%", "10")]
    [InlineData(@"5\text{ cm}", "5")]
    [InlineData(@"\text{(C)}", "(C)")]
    [InlineData(@"\text{Evelyn}", "Evelyn")]
    [InlineData("x = 5", "5")]
    [InlineData("k=-2", "-2")]
    [InlineData("y = 2x + 3", "2x+3")]
    [InlineData("xy = 5", "xy=5")]
    [InlineData(@"1,\!000", "1,000")]
    [InlineData(@"p - q", "p-q")]
    [InlineData("x \\in [-2,7]", "x\\in[-2,7]")]
    [InlineData("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix}1\\2\\end{pmatrix}")]
    [InlineData("", "")]
    public void Normalize_HendrycksRules_Apply(string answer, string expected)
    {
        Assert.Equal(expected, MathAnswerNormalizer.Normalize(answer));
    }

    [Theory]
    [InlineData(@"\frac{1}{2}", @"\dfrac12")]
    [InlineData(@"\left(1, 2\right)", "(1,2)")]
    [InlineData("0.5", @"\frac{1}{2}")]
    [InlineData("x = 3", "3")]
    public void Extract_EquivalentAnswers_CompareEqual(string reference, string boxedAnswer)
    {
        Assert.Equal(_extractor.NormalizeReference(reference), _extractor.Extract($@"\boxed{{{boxedAnswer}}}"));
    }

    [Theory]
    [InlineData("2", "-2")]
    [InlineData(@"\frac{1}{3}", "0.33")]
    [InlineData("12", "1 2 3")]
    public void Extract_DifferentAnswers_DoNotCompareEqual(string reference, string boxedAnswer)
    {
        Assert.NotEqual(_extractor.NormalizeReference(reference), _extractor.Extract($@"\boxed{{{boxedAnswer}}}"));
    }

    [Fact]
    public void NormalizeReference_FullSolution_UsesItsBox()
    {
        Assert.Equal(@"\frac{14}{3}", _extractor.NormalizeReference(@"We find $x = \frac{14}{3}$, so $\boxed{\dfrac{14}{3}}$."));
    }
}
