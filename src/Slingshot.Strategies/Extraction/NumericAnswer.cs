namespace Slingshot.Strategies.Extraction;

/// <summary>
/// GSM8K answers in the form lm-evaluation-harness compares them: every comma and dollar sign removed,
/// then a single trailing period, and nothing else. So "1,234" is "1234" and "$5." is "5", but "18.00"
/// stays "18.00" and does not equal "18", and ".5" stays ".5": results stay comparable with published
/// lm-evaluation-harness numbers only if no other rewriting happens.
/// </summary>
internal static class NumericAnswer
{
    private const string FinalAnswerMarker = "#### ";

    /// <summary>An extracted answer with commas, dollar signs and one trailing period removed.</summary>
    public static string Normalize(string extracted)
    {
        // The order matters as it does in lm-evaluation-harness: "5.," loses its comma, then its period.
        var text = extracted.Trim().Replace(",", "", StringComparison.Ordinal).Replace("$", "", StringComparison.Ordinal);
        return text.EndsWith('.') ? text[..^1] : text;
    }

    /// <summary>
    /// A reference answer normalized the same way: GSM8K's full <c>answer</c> field counts from after its
    /// last <c>#### </c> (lm-evaluation-harness drops everything up to it); a bare answer counts whole.
    /// </summary>
    public static string NormalizeReference(string reference)
    {
        var marker = reference.LastIndexOf(FinalAnswerMarker, StringComparison.Ordinal);
        var answer = marker >= 0 ? reference[(marker + FinalAnswerMarker.Length)..] : reference;
        return Normalize(answer);
    }
}
