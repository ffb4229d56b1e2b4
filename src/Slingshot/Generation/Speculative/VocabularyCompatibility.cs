namespace Slingshot;

/// <summary>
/// Whether a draft model can draft for a target: the same tokenizer family, vocabularies of nearly the same
/// size, the same special tokens and the same token texts. A draft token means nothing to the target otherwise.
/// </summary>
public static class VocabularyCompatibility
{
    /// <summary>Largest difference in vocabulary size tolerated (models of one family pad their tables differently).</summary>
    public const int MaxSizeDifference = 128;

    /// <summary>
    /// Token texts compared are from this id up: the first ids are often control tokens whose stored text
    /// differs between conversions of the same tokenizer.
    /// </summary>
    public const int FirstComparedToken = 5;

    /// <summary>Why the draft cannot draft for the target, or null when it can.</summary>
    public static string? Explain(Vocabulary target, Vocabulary draft)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(draft);
        if (target.Type != draft.Type)
        {
            return $"the tokenizers differ (target {target.Type}, draft {draft.Type})";
        }
        if (Math.Abs(target.Count - draft.Count) > MaxSizeDifference)
        {
            return $"the vocabulary sizes differ by more than {MaxSizeDifference} (target {target.Count}, draft {draft.Count})";
        }
        if (target.AddsBos != draft.AddsBos)
        {
            return $"one adds BOS to prompts and the other does not (target {target.AddsBos}, draft {draft.AddsBos})";
        }
        foreach (var (name, t, d) in new[] { ("BOS", target.Bos, draft.Bos), ("EOS", target.Eos, draft.Eos), ("EOT", target.Eot, draft.Eot) })
        {
            if (t != d)
            {
                return $"the {name} tokens differ (target {Show(t)}, draft {Show(d)})";
            }
        }
        var shared = Math.Min(target.Count, draft.Count);
        for (var id = FirstComparedToken; id < shared; id++)
        {
            var targetText = target.TokenText(id);
            var draftText = draft.TokenText(id);
            if (targetText != draftText)
            {
                return $"token {id} is '{targetText}' in the target but '{draftText}' in the draft";
            }
        }
        return null;
    }

    /// <summary>Throws a one-line <see cref="SlingshotException"/> when the draft cannot draft for the target.</summary>
    public static void EnsureCompatible(LlamaModel target, LlamaModel draft)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(draft);
        if (Explain(target.Vocabulary, draft.Vocabulary) is { } reason)
        {
            throw new SlingshotException(
                $"Draft model '{Path.GetFileName(draft.Path)}' cannot draft for '{Path.GetFileName(target.Path)}': {reason}.");
        }
    }

    private static string Show(int? token) => token?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
