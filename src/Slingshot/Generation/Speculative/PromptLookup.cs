namespace Slingshot.Generation.Speculative;

/// <summary>
/// Draftless drafting: when the last n tokens also occur earlier (in the prompt or the output), propose the
/// tokens that followed them there. Free to compute, and right whenever the output copies its input.
/// </summary>
internal static class PromptLookup
{
    /// <summary>Writes up to <paramref name="draft"/>.Length proposed tokens; returns how many (0 = no match).</summary>
    /// <param name="history">Prompt and output so far.</param>
    /// <param name="maxNgram">Longest n-gram tried; shorter ones down to 1 follow.</param>
    /// <param name="draft">Where the proposal goes.</param>
    public static int Propose(ReadOnlySpan<int> history, int maxNgram, Span<int> draft)
    {
        for (var n = Math.Min(maxNgram, history.Length - 1); n >= 1; n--)
        {
            var pattern = history[^n..];
            // The most recent earlier occurrence: output often repeats what it just copied.
            for (var start = history.Length - n - 1; start >= 0; start--)
            {
                if (!history.Slice(start, n).SequenceEqual(pattern))
                {
                    continue;
                }
                var follow = start + n;
                var count = Math.Min(draft.Length, history.Length - follow);
                if (count > 0)
                {
                    history.Slice(follow, count).CopyTo(draft);
                    return count;
                }
            }
        }
        return 0;
    }
}
