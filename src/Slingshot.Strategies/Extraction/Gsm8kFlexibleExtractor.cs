using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// GSM8K's flexible answer format: the last number anywhere in the text, whatever the phrasing around it.
/// Commas count only as thousands separators ("1,234"), so a list such as "1,2,3" ends in the number 3.
/// </summary>
public sealed partial class Gsm8kFlexibleExtractor : IAnswerExtractor
{
    /// <summary>The registry name of this extractor.</summary>
    public const string ExtractorName = "gsm8k-flexible";

    /// <inheritdoc />
    public string Name => ExtractorName;

    /// <inheritdoc />
    public string? Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Match? last = null;
        for (var match = Number().Match(text); match.Success; match = match.NextMatch())
        {
            last = match;
        }
        return last is null ? null : NumericAnswer.Canonicalize(last.Value);
    }

    /// <summary>
    /// Accepts GSM8K's full <c>answer</c> field (a rationale ending in <c>#### 18</c>) or a bare number.
    /// </summary>
    public string NormalizeReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var marker = reference.LastIndexOf("####", StringComparison.Ordinal);
        var tail = marker >= 0 ? reference[(marker + 4)..] : reference;
        return Extract(tail) ?? NumericAnswer.Canonicalize(tail);
    }

    [GeneratedRegex(@"-?\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
