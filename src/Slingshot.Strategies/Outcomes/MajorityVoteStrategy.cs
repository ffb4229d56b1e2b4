using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Selection;

namespace Slingshot.Strategies;

/// <summary>
/// Majority vote (maj@k): draws k samples, extracts each one's answer, and answers with the first sample carrying the most
/// frequent answer (ties go to the answer seen first; samples without an answer do not vote). When no sample has an answer
/// it answers with the first sample, with no <see cref="StrategyOutcome.Answer"/> and an agreement of 0. The outcome holds
/// the answer, votes, voters, agreement, tally and every candidate; the usage is the sum over every sample.
/// </summary>
public sealed class MajorityVoteStrategy : IStrategy
{
    /// <summary>Creates the vote over <paramref name="sampler"/>'s samples.</summary>
    public MajorityVoteStrategy(RepeatedSampler sampler, IAnswerExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(extractor);
        Sampler = sampler;
        Extractor = extractor;
    }

    /// <summary>Where the samples come from.</summary>
    public RepeatedSampler Sampler { get; }

    /// <summary>Turns a sample's text into its canonical answer.</summary>
    public IAnswerExtractor Extractor { get; }

    /// <inheritdoc />
    public async Task<StrategyResult> AnswerAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var result = await Sampler.SampleAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var vote = MajorityVote.Tally(result.Candidates.Select(c => c.Text), Extractor);
        var selection = vote.ToSelection();
        var outcome = new StrategyOutcome
        {
            Reason = selection.Index is null ? selection.Reason + "; returned the first" : selection.Reason,
            Answer = vote.Winner,
            Agreement = vote.Agreement,
            Votes = vote.WinnerCount,
            Voters = vote.Voters,
            Tally = vote.Tally,
        };
        return result.Select(selection.Index ?? 0, outcome);
    }
}
