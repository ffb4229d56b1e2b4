namespace Slingshot.Strategies.Extraction;

/// <summary>
/// MATH's answer format: the content of the last <c>\boxed{...}</c> (or <c>\fbox{...}</c>) in the text,
/// braces balanced, normalized by <see cref="MathAnswerNormalizer"/>.
/// </summary>
public sealed class MathBoxedExtractor : IAnswerExtractor
{
    /// <summary>The registry name of this extractor.</summary>
    public const string ExtractorName = "math-boxed";

    /// <inheritdoc />
    public string Name => ExtractorName;

    /// <inheritdoc />
    public string? Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var boxed = FindLastBoxed(text);
        return boxed is null ? null : MathAnswerNormalizer.Normalize(boxed);
    }

    /// <summary>Accepts a MATH-500 <c>answer</c> field, or a full solution with a boxed answer.</summary>
    public string NormalizeReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return MathAnswerNormalizer.Normalize(FindLastBoxed(reference) ?? reference);
    }

    /// <summary>
    /// The raw content of the last <c>\boxed{...}</c> or <c>\fbox{...}</c> in <paramref name="text"/>
    /// (also the brace-less <c>\boxed 5</c>), or null when there is none or its braces never close.
    /// </summary>
    public static string? FindLastBoxed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var boxed = text.LastIndexOf("\\boxed", StringComparison.Ordinal);
        var fbox = text.LastIndexOf("\\fbox", StringComparison.Ordinal);
        var start = Math.Max(boxed, fbox);
        if (start < 0)
        {
            return null;
        }

        var cursor = start + (start == boxed ? "\\boxed".Length : "\\fbox".Length);
        if (cursor < text.Length && text[cursor] == ' ')
        {
            // "\boxed 5$": the argument runs to the end of the math.
            var end = text.IndexOfAny(['$', '\n'], cursor + 1);
            return text[(cursor + 1)..(end < 0 ? text.Length : end)].Trim();
        }
        if (cursor >= text.Length || text[cursor] != '{')
        {
            return null;
        }
        var closing = BracedGroup.FindClosing(text, cursor);
        return closing < 0 ? null : text[(cursor + 1)..closing];
    }
}
