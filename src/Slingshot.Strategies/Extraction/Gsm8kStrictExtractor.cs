using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// GSM8K's strict answer format: the number after <c>#### </c> (the data set's own format) or, for
/// chain-of-thought prompts, the number in <c>The answer is X.</c>. As in lm-evaluation-harness the first
/// such statement counts, so a model that keeps writing after stating its answer is held to it.
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
        return match.Success ? NumericAnswer.Canonicalize(match.Groups["number"].Value) : null;
    }

    /// <summary>
    /// Accepts GSM8K's full <c>answer</c> field (a rationale ending in <c>#### 18</c>) or a bare number.
    /// </summary>
    public string NormalizeReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return Extract(reference) ?? NumericAnswer.Canonicalize(reference);
    }

    [GeneratedRegex(@"(?:####|[Tt]he answer is)\s*\$?(?<number>-?\$?[0-9][0-9.,]*)", RegexOptions.CultureInvariant)]
    private static partial Regex AnswerStatement();
}
