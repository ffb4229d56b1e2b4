namespace Slingshot.Strategies.Extraction;

/// <summary>
/// The program in a sample: the first fenced block labelled python (or py, python3) or unlabelled, its
/// fence's indentation removed (a block inside a list item); a fence the sample never closed (it ran out of
/// tokens) runs to the end. Without such a block the whole text is the code, so a bare completion
/// (HumanEval's function body) works too. The canonical form drops leading blank lines and trailing
/// whitespace but keeps the first line's indentation, which a bare function body needs.
/// </summary>
/// <remarks>
/// This is the one place code is taken out of a completion: <see cref="Verification.UnitTestVerifier"/> runs
/// what it returns, and so does every code benchmark's grading, which is that verifier.
/// </remarks>
public sealed class CodeBlockExtractor : IAnswerExtractor
{
    /// <summary>The registry name of this extractor.</summary>
    public const string ExtractorName = "code";

    /// <summary>The fence labels read as Python; an unlabelled fence counts too.</summary>
    private static readonly string[] PythonLabels = ["python", "py", "python3"];

    /// <inheritdoc />
    public string Name => ExtractorName;

    /// <summary>The sample's code; never null, since text without a Python block is taken as code.</summary>
    public string Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Canonicalize(FencedCodeBlock.Find(text, PythonLabels) ?? text);
    }

    string? IAnswerExtractor.Extract(string text) => Extract(text);

    /// <summary>Reference code in the same form: its fenced block if it has one, else the text.</summary>
    public string NormalizeReference(string reference) => Extract(reference);

    private static string Canonicalize(string code)
    {
        var lines = code.ReplaceLineEndings("\n").Split('\n');
        var first = 0;
        while (first < lines.Length && string.IsNullOrWhiteSpace(lines[first]))
        {
            first++;
        }
        return string.Join('\n', lines[first..]).TrimEnd();
    }
}
