using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// Canonical form of a numeric answer, as GSM8K grading compares them: commas, dollar signs and a
/// trailing period are stripped (as lm-evaluation-harness does), and a decimal part made only of zeros
/// is dropped so "18", "18.0" and "18.00" are one answer. Nothing else changes: "-3" stays "-3" and
/// "0.5" stays "0.5", because rewriting numbers more aggressively would merge answers that differ.
/// </summary>
internal static partial class NumericAnswer
{
    /// <summary>The canonical form of <paramref name="raw"/>; text that is not a plain number is only stripped.</summary>
    public static string Canonicalize(string raw)
    {
        var text = raw.Trim().Replace(",", "", StringComparison.Ordinal).Replace("$", "", StringComparison.Ordinal);
        text = text.TrimEnd('.');
        if (!PlainNumber().IsMatch(text))
        {
            return text;
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        if (point >= 0)
        {
            // Drop trailing zeros of the fraction, then the point itself if nothing is left after it.
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return text == "-0" ? "0" : text;
    }

    [GeneratedRegex(@"^-?\d+(\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}
