using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// GSM8K's flexible answer format, exactly as lm-evaluation-harness's <c>flexible-extract</c> filter: the
/// last match of <c>(-?[$0-9.,]{2,})|(-?[0-9]+)</c> anywhere in the text, with commas, dollar signs and one
/// trailing period then removed (<see cref="NumericAnswer"/>). The pattern takes runs of digits, commas,
/// periods and dollar signs as they stand, so "1,2,3" reads as "123" and "$18.00" as "18.00".
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
        var last = Number().LastMatch(text);
        if (last is null)
        {
            return null;
        }
        var number = last.Groups["run"].Success ? last.Groups["run"].Value : last.Groups["integer"].Value;
        return NumericAnswer.Normalize(number);
    }

    /// <summary>
    /// Accepts GSM8K's full <c>answer</c> field (a rationale ending in <c>#### 18</c>) or a bare answer,
    /// normalized as the extracted answer is.
    /// </summary>
    public string NormalizeReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return NumericAnswer.NormalizeReference(reference);
    }

    [GeneratedRegex(@"(?<run>-?[$0-9.,]{2,})|(?<integer>-?[0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
