namespace Slingshot.Strategies;

/// <summary>
/// What a chat client's responses report for an escalation test to score, found with
/// <c>GetService&lt;ConfidenceSignals&gt;()</c>: a cascade checks its tiers against their tests when it is built, so a tier
/// that could never pass its test (an agreement test on a tier that does not vote) is a configuration error instead of a
/// cascade that silently always escalates.
/// </summary>
/// <param name="Agreement">Every response carries the winner's share of the votes (<see cref="StrategyOutcome.Agreement"/>).</param>
/// <param name="MeanLogprob">
/// Every response carries its samples with token log-probabilities and the selected one's index
/// (<see cref="StrategyOutcome.Candidates"/>, <see cref="StrategyOutcome.SelectedIndex"/>).
/// </param>
public sealed record ConfidenceSignals(bool Agreement, bool MeanLogprob)
{
    /// <summary>What both report (a cascade answers with either tier's response).</summary>
    public ConfidenceSignals And(ConfidenceSignals? other) =>
        other is null ? new ConfidenceSignals(false, false) : new ConfidenceSignals(Agreement && other.Agreement, MeanLogprob && other.MeanLogprob);
}
