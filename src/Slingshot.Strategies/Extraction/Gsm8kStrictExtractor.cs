using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// GSM8K's strict answer format, with lm-evaluation-harness's <c>strict-match</c> patterns: the data set's
/// own <c>#### (\-?[0-9\.\,]+)</c>, or, for chain-of-thought prompts, <c>The answer is (\-?[0-9\.\,]+).</c>
/// (case-sensitive; the final <c>.</c> is any one character, so "The answer is 18" at the very end of the
/// text reads as "1", as it does there). The first such statement counts, so a model that keeps writing after stating its
/// answer is held to it. The number is then normalized as <see cref="NumericAnswer"/> says.
/// </summary>
public sealed partial class Gsm8kStrictExtractor : IAnswerExtractor
{
    /// <summary>The registry name of this extractor.</summary>
    public const string ExtractorName = "gsm8k-strict";

    /// <inheritdoc />
    public string Name => ExtractorName;

    /// <inheritdoc />
    public string? Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = AnswerStatement().Match(text);
        return match.Success ? NumericAnswer.Normalize(match.Groups["number"].Value) : null;
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

    [GeneratedRegex(@"#### (?<number>-?[0-9.,]+)|The answer is (?<number>-?[0-9.,]+).", RegexOptions.CultureInvariant)]
    private static partial Regex AnswerStatement();
}
