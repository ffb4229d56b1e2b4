using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// A free-form short answer, as BIG-Bench Hard states them: the text after the last "the answer is"
/// (to the end of that line), otherwise the last non-empty line. The canonical form is lower case with
/// single spaces, without a trailing period, markdown emphasis or quotes, and with an option key
/// "(A)" (alone or followed by the option's text) reduced to its letter, so "(A)", "(a) 12/11/1937"
/// and "A" agree. Other parentheses stay: they are answers in Dyck-language tasks.
/// </summary>
public sealed partial class FinalAnswerExtractor : IAnswerExtractor
{
    /// <summary>The registry name of this extractor.</summary>
    public const string ExtractorName = "final-answer";

    /// <inheritdoc />
    public string Name => ExtractorName;

    /// <inheritdoc />
    public string? Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var statement = AnswerStatement().LastMatch(text);

        var answer = statement?.Groups["answer"].Value
            ?? text.Split('\n').LastOrDefault(line => !string.IsNullOrWhiteSpace(line));
        if (answer is null)
        {
            return null;
        }
        var canonical = Canonicalize(answer);
        return canonical.Length == 0 ? null : canonical;
    }

    /// <inheritdoc />
    public string NormalizeReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return Canonicalize(reference);
    }

    private static string Canonicalize(string answer)
    {
        var text = Whitespace().Replace(answer, " ").Trim();
        text = text.Trim('*', '_', '`', '"', '\'', ' ').TrimEnd('.', '*', '_', '`', '"', '\'', ' ');
        var key = OptionKey().Match(text);
        if (key.Success)
        {
            return key.Groups["key"].Value.ToLowerInvariant();
        }
        return text.ToLowerInvariant();
    }

    [GeneratedRegex(@"the answer is\s*:?[ \t]*(?<answer>[^\n]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnswerStatement();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^\((?<key>[A-Za-z])\)(?:\s.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex OptionKey();
}
