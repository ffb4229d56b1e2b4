using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// The program in a sample: the first fenced block labelled python (or py, python3) or unlabelled; a
/// fence the sample never closed (it ran out of tokens) runs to the end. Without a fence the whole text
/// is the code, so a bare completion (HumanEval's function body) works too. The canonical form drops
/// leading blank lines and trailing whitespace but keeps the first line's indentation, which a bare
/// function body needs.
/// </summary>
public sealed partial class CodeBlockExtractor : IAnswerExtractor
{
    /// <summary>The registry name of this extractor.</summary>
    public const string ExtractorName = "code";

    /// <inheritdoc />
    public string Name => ExtractorName;

    /// <summary>The sample's code; never null, since text without a fence is taken as code.</summary>
    public string Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var position = 0;
        while (position < text.Length)
        {
            var fence = Fence().Match(text, position);
            if (!fence.Success)
            {
                break;
            }
            var language = fence.Groups["language"].Value.ToLowerInvariant();
            var bodyStart = fence.Index + fence.Length;
            var close = ClosingFence().Match(text, bodyStart);
            var body = close.Success ? text[bodyStart..close.Index] : text[bodyStart..];
            if (language is "" or "python" or "py" or "python3")
            {
                return Canonicalize(body);
            }
            if (!close.Success)
            {
                break;
            }
            // Skip the other language's block, closing fence included, so it is not read as an opening.
            position = close.Index + close.Length;
        }
        return Canonicalize(text);
    }

    string? IAnswerExtractor.Extract(string text) => Extract(text);

    /// <summary>Reference code in the same form: its fenced block if it has one, else the text.</summary>
    public string NormalizeReference(string reference) => Extract(reference);

    private static string Canonicalize(string code)
    {
        var lines = code.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var first = 0;
        while (first < lines.Length && string.IsNullOrWhiteSpace(lines[first]))
        {
            first++;
        }
        return string.Join('\n', lines[first..]).TrimEnd();
    }

    // An opening fence at the start of a line with an optional language tag.
    [GeneratedRegex(@"^[ \t]*```[ \t]*(?<language>[A-Za-z0-9_+-]*)[^\n]*\n", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^[ \t]*```", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ClosingFence();
}
