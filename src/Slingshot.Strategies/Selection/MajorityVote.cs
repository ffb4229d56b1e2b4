using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Selection;

/// <summary>
/// maj@k: the most frequent extracted answer among k samples. Ties go to the answer seen first (lowest
/// sample index); samples with no extractable answer do not vote; with no voters there is no winner.
/// Answers are equal exactly when their canonical strings are (ordinal comparison).
/// </summary>
public static class MajorityVote
{
    /// <summary>Counts already extracted answers; entry i is sample i's answer, null when it had none.</summary>
    public static VoteResult Tally(IReadOnlyList<string?> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return VoteCounter.Count(answers, _ => 1.0);
    }

    /// <summary>Extracts each sample's answer with <paramref name="extractor"/> and counts them; sample i is the i-th text.</summary>
    public static VoteResult Tally(IEnumerable<string> texts, IAnswerExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(extractor);
        return Tally(texts.Select(extractor.Extract).ToList());
    }
}
