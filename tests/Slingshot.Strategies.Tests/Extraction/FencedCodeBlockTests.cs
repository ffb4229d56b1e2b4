using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Tests.Extraction;

public sealed class FencedCodeBlockTests
{
    [Fact]
    public void Find_PythonBlockInProse_ReturnsItsContent()
    {
        const string Text = "Here is my solution:\n```python\ndef f():\n    return 1\n```\nIt returns one.";

        Assert.Equal("def f():\n    return 1\n", FencedCodeBlock.Find(Text, "python"));
    }

    [Fact]
    public void Find_OtherLanguageFirst_SkipsToTheWantedBlock()
    {
        const string Text = "```text\nnot code\n```\nthen\n```Python\nx = 1\n```\n```python\ny = 2\n```";

        Assert.Equal("x = 1\n", FencedCodeBlock.Find(Text, "python"));
    }

    [Fact]
    public void Find_UnlabelledBlock_Counts()
    {
        Assert.Equal("x = 1\n", FencedCodeBlock.Find("look:\n```\nx = 1\n```", "python"));
    }

    [Fact]
    public void Find_UnclosedBlock_RunsToTheEnd()
    {
        Assert.Equal("x = 1\ny = 2\n", FencedCodeBlock.Find("```python\nx = 1\ny = 2", "python"));
    }

    [Fact]
    public void Find_IndentedFenceAndCrLf_RemovesSharedIndentation()
    {
        const string Text = "1. Step:\r\n   ```python\r\n   if x:\r\n       y()\r\n   ```\r\n";

        Assert.Equal("if x:\n    y()\n", FencedCodeBlock.Find(Text, "python"));
    }

    [Fact]
    public void Find_NoBlock_ReturnsNull()
    {
        Assert.Null(FencedCodeBlock.Find("def f(): return 1", "python"));
        Assert.Null(FencedCodeBlock.Find("```bash\nls\n```", "python"));
    }
}
