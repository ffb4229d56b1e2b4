namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// A test program that proves it ran to its last line. Exit status 0 alone proves nothing: model code that
/// ends the process before the tests run (<c>sys.exit(0)</c> at module level, an
/// <c>if __name__ == "__main__"</c> block that exits, <c>os._exit(0)</c>, or a function that exits when the
/// tests call it) skips every assertion and still exits 0. So the program ends with a line that writes a
/// fresh random token to standard output, and it passes only when it exits 0 <em>and</em> the token appears.
/// </summary>
/// <remarks>
/// The token is new for every program and made after the code it checks was written, so that code cannot
/// know it in advance. It is written straight to file descriptor 1, so code that replaces
/// <c>sys.stdout</c> or shadows <c>print</c> cannot swallow it. This guards against programs that end early;
/// it does not make grading safe from code that sets out to read its own source file.
/// </remarks>
public sealed class CompletionCheckedProgram
{
    /// <summary>Why a program that exited 0 without writing the token fails.</summary>
    public const string EarlyExitReason = "exited before the tests finished";

    private CompletionCheckedProgram(string text, string token)
    {
        Text = text;
        Token = token;
    }

    /// <summary>The program to run: the program given, then a last line that writes <see cref="Token"/>.</summary>
    public string Text { get; }

    /// <summary>What the last line writes: random, and different for every program.</summary>
    public string Token { get; }

    /// <summary>Appends the token line, with a token of its own, to <paramref name="program"/>.</summary>
    /// <param name="program">The code under test followed by its tests.</param>
    public static CompletionCheckedProgram Create(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var token = $"slingshot-tests-finished-{Guid.NewGuid():N}";
        // A fresh line at column 0, so the line runs whatever indentation the tests ended in.
        var text = $"{program}\n__import__(\"os\").write(1, b\"\\n{token}\\n\")\n";
        return new CompletionCheckedProgram(text, token);
    }

    /// <summary>Whether the run reached the last line: its standard output holds the token.</summary>
    public bool RanToEnd(SandboxResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Stdout.Contains(Token, StringComparison.Ordinal);
    }

    /// <summary>Whether the run passed: exit status 0 within every limit, and it reached the last line.</summary>
    public bool Passed(SandboxResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Succeeded && RanToEnd(result);
    }
}
