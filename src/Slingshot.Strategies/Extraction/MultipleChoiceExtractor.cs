using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// The letter a sample chose among lettered options A, B, C, ... Statements are tried from the most to
/// the least explicit, the last of a kind winning (a model that reconsiders ends with its final choice):
/// "the answer is (B)" / "Answer: C", then a parenthesized "(D)", then a reply that is just a letter
/// ("C", "C." on a line of its own), then a reply that opens with one ("C) the mitochondria"). The
/// canonical form is the upper-case letter.
/// </summary>
public sealed partial class MultipleChoiceExtractor : IAnswerExtractor
{
    /// <summary>The registry name of this extractor with four options and letter keys.</summary>
    public const string ExtractorName = "choice";

    /// <summary>Creates the extractor.</summary>
    /// <param name="choiceCount">How many options (letters A up to A + count - 1), 2 to 26.</param>
    /// <param name="numericKeys">
    /// Whether "1", "2", ... also name options (ARC's numeric answer keys): they map to "A", "B", ...
    /// </param>
    public MultipleChoiceExtractor(int choiceCount = 4, bool numericKeys = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(choiceCount, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(choiceCount, 26);
        ChoiceCount = choiceCount;
        NumericKeys = numericKeys;
    }

    /// <summary>How many options a problem may have.</summary>
    public int ChoiceCount { get; }

    /// <summary>Whether numeric keys ("1".."n") are read as letters.</summary>
    public bool NumericKeys { get; }

    /// <inheritdoc />
    public string Name => ExtractorName
        + (ChoiceCount == 4 ? "" : $":{ChoiceCount}")
        + (NumericKeys ? ":numeric" : "");

    /// <inheritdoc />
    public string? Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return LastValid(AnswerStatement(), text)
            ?? LastValid(ParenthesizedKey(), text)
            ?? LastValid(KeyAlone(), text)
            ?? LastValid(LeadingKey(), text.TrimStart());
    }

    /// <summary>Accepts a letter ("B", "(b)") or, with <see cref="NumericKeys"/>, a number ("2").</summary>
    public string NormalizeReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var key = reference.Trim().Trim('(', ')', '.').Trim();
        return ToLetter(key) ?? key.ToUpperInvariant();
    }

    private string? LastValid(Regex pattern, string text)
    {
        string? chosen = null;
        for (var match = pattern.Match(text); match.Success; match = match.NextMatch())
        {
            chosen = ToLetter(match.Groups["key"].Value) ?? chosen;
        }
        return chosen;
    }

    private string? ToLetter(string key)
    {
        if (key.Length == 1 && char.IsAsciiLetter(key[0]))
        {
            var letter = char.ToUpperInvariant(key[0]);
            return letter - 'A' < ChoiceCount ? letter.ToString() : null;
        }
        if (NumericKeys && int.TryParse(key, out var number) && number >= 1 && number <= ChoiceCount)
        {
            return ((char)('A' + number - 1)).ToString();
        }
        return null;
    }

    // "The answer is (B)", "answer: C", "Answer is **D**"; a bare lower-case letter after "answer is" is
    // too often the article "a" to count, so lower case is read only inside parentheses.
    [GeneratedRegex(@"(?i:answer)(?:\s+is)?\s*[:：]?\s*(?:option\s+|choice\s+)?[*_]*(?:\((?<key>[A-Za-z]|\d{1,2})\)|(?<key>[A-Z]|\d{1,2})(?![A-Za-z0-9]))",
        RegexOptions.CultureInvariant)]
    private static partial Regex AnswerStatement();

    [GeneratedRegex(@"\((?<key>[A-Z]|\d{1,2})\)", RegexOptions.CultureInvariant)]
    private static partial Regex ParenthesizedKey();

    // A line holding only a key ("C", "C.", "**C**").
    [GeneratedRegex(@"^[ \t]*[*_]*\(?(?<key>[A-Z]|\d{1,2})\)?[*_]*[.:]?[ \t]*$", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex KeyAlone();

    // A reply that opens with a key and the option's text ("C) the mitochondria"). Only the opening
    // counts: later lines shaped like this are usually the model restating the options.
    [GeneratedRegex(@"^[*_]*\(?(?<key>[A-Z]|\d{1,2})[*_]*[.):][ \t]", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingKey();
}
