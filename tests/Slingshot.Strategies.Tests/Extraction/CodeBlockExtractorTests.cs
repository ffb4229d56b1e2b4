using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Tests.Extraction;

public sealed class CodeBlockExtractorTests
{
    private readonly CodeBlockExtractor _extractor = new();

    [Fact]
    public void Extract_PythonFence_ReturnsItsBody()
    {
        var text = "Here is the code:\n```python\ndef f(x):\n    return x + 1\n```\nIt adds one.";
        Assert.Equal("def f(x):\n    return x + 1", _extractor.Extract(text));
    }

    [Fact]
    public void Extract_UnlabelledFence_ReturnsItsBody()
    {
        Assert.Equal("print(1)", _extractor.Extract("```\nprint(1)\n```"));
    }

    [Fact]
    public void Extract_OtherLanguageFirst_SkipsIt()
    {
        var text = "Run:\n```bash\npython main.py\n```\nCode:\n```py\nx = 2\n```";
        Assert.Equal("x = 2", _extractor.Extract(text));
    }

    [Fact]
    public void Extract_TwoPythonFences_ReturnsTheFirst()
    {
        Assert.Equal("a = 1", _extractor.Extract("```python\na = 1\n```\n```python\nb = 2\n```"));
    }

    [Fact]
    public void Extract_UnclosedFence_RunsToTheEnd()
    {
        Assert.Equal("def f():\n    return 1", _extractor.Extract("```python\ndef f():\n    return 1\n"));
    }

    [Fact]
    public void Extract_NoFence_KeepsFirstLineIndentation()
    {
        Assert.Equal("    return sorted(xs)", _extractor.Extract("\n\n    return sorted(xs)\n\n"));
    }

    [Fact]
    public void Extract_CrLfLineEndings_BecomeLf()
    {
        Assert.Equal("def f():\n  return 1", _extractor.Extract("def f():\r\n  return 1\r\n"));
    }

    [Fact]
    public void Extract_FenceIndentedUnderAListItem_RemovesTheFencesIndentation()
    {
        var text = "1. The function:\n   ```python\n   def f(x):\n       return x + 1\n   ```\n2. Done.";
        Assert.Equal("def f(x):\n    return x + 1", _extractor.Extract(text));
    }

    [Fact]
    public void Extract_IndentedFenceAroundABody_KeepsTheBodysOwnIndentation()
    {
        Assert.Equal("    return 1", _extractor.Extract("Body:\n\t```python\n\t    return 1\n\t```"));
    }

    [Fact]
    public void Extract_LongerFenceAndOnlyAnotherLanguage_ReadLikeTheVerifierReadsThem()
    {
        Assert.Equal("x = 1", _extractor.Extract("````python\nx = 1\n````"));
        Assert.Equal("```bash\nls\n```", _extractor.Extract("```bash\nls\n```"));
    }
}
