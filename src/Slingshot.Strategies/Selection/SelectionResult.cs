namespace Slingshot.Strategies.Selection;

/// <summary>What a selection strategy chose among k samples, and why.</summary>
/// <param name="Index">The chosen sample's index, or null when the strategy chose none (no voters, nothing passed, no samples).</param>
/// <param name="Answer">The chosen answer in canonical form, when the strategy extracted one.</param>
/// <param name="Confidence">
/// How sure the strategy is, in [0, 1], when it can say: the winner's share of the votes for a vote, the
/// geometric-mean token probability for best-of-n.
/// </param>
/// <param name="Reason">One line a person can read ("'18' won 5 of 7 votes", "sample 3 passed: ...").</param>
public sealed record SelectionResult(int? Index, string? Answer, double? Confidence, string Reason)
{
    /// <summary>Whether a sample was chosen.</summary>
    public bool HasSelection => Index is not null;
}
