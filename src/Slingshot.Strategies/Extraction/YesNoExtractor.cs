using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// A yes/no answer: "yes", "true", "no" or "false", canonical form "yes" or "no" (BoolQ's references are
/// true/false). Tried in order: the last "the answer is X" / "Answer: X", the reply's first word
/// ("No, the passage says..."), then the last word of the reply ("...so the answer is clear: yes.").
/// </summary>
public sealed partial class YesNoExtractor : IAnswerExtractor
{
    /// <summary>The registry name of this extractor.</summary>
    public const string ExtractorName = "yes-no";

    /// <inheritdoc />
    public string Name => ExtractorName;

    /// <inheritdoc />
    public string? Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var statement = AnswerStatement().LastMatch(text);
        if (statement is not null)
        {
            return ToCanonical(statement.Groups["word"].Value);
        }

        var first = FirstWord().Match(text);
        if (first.Success)
        {
            return ToCanonical(first.Groups["word"].Value);
        }
        var last = LastWord().Match(text);
        return last.Success ? ToCanonical(last.Groups["word"].Value) : null;
    }

    /// <summary>Accepts yes/no/true/false in any case; anything else is only trimmed and lower-cased.</summary>
    public string NormalizeReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var word = reference.Trim().TrimEnd('.').Trim();
        return ToCanonical(word) ?? word.ToLowerInvariant();
    }

    private static string? ToCanonical(string word) => word.ToLowerInvariant() switch
    {
        "yes" or "true" => "yes",
        "no" or "false" => "no",
        _ => null,
    };

    [GeneratedRegex(@"answer(?:\s+is)?\s*:?\s*[*_""']*(?<word>yes|no|true|false)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnswerStatement();

    [GeneratedRegex(@"^\s*[*_""']*(?<word>yes|no|true|false)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FirstWord();

    [GeneratedRegex(@"\b(?<word>yes|no|true|false)[*_""'.!\s]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LastWord();
}
