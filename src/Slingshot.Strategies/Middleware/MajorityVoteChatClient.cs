using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Selection;

namespace Slingshot.Strategies;

/// <summary>
/// Majority vote as middleware (maj@k): draws k samples, extracts each one's answer, and returns the first
/// sample carrying the most frequent answer (ties go to the answer seen first; samples without an answer do
/// not vote). When no sample has an answer it returns the first sample, with no
/// <see cref="StrategyResponseProperties.Answer"/> and an agreement of 0.
/// </summary>
/// <remarks>
/// <para>
/// The response sets <see cref="StrategyResponseProperties.Answer"/>, <see cref="StrategyResponseProperties.Agreement"/>
/// (winner's votes over voters), <see cref="StrategyResponseProperties.Votes"/>,
/// <see cref="StrategyResponseProperties.Voters"/>, <see cref="StrategyResponseProperties.Tally"/>,
/// <see cref="StrategyResponseProperties.Candidates"/>, <see cref="StrategyResponseProperties.SelectedIndex"/> and
/// <see cref="StrategyResponseProperties.Reason"/>; its usage is the sum over every sample.
/// </para>
/// <para>
/// It draws its own samples through <see cref="RepeatedSampler"/> (one call when the inner client
/// exposes <see cref="ISampleSource"/>, k parallel calls with seeds seed + i otherwise), so it is used
/// alone, never over <see cref="RepeatedSamplingChatClient"/>. Voting needs every sample before it answers:
/// streaming computes the whole response first and then yields it.
/// </para>
/// </remarks>
public sealed class MajorityVoteChatClient : DelegatingChatClient
{
    private readonly RepeatedSampler _sampler;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">Where the samples come from.</param>
    /// <param name="extractor">Turns a sample's text into its canonical answer.</param>
    /// <param name="options">How many samples and how; default <see cref="RepeatedSamplingOptions"/>.</param>
    public MajorityVoteChatClient(IChatClient innerClient, IAnswerExtractor extractor, RepeatedSamplingOptions? options = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        RepeatedSamplingChatClient.ThrowIfBeneath(innerClient, nameof(MajorityVoteChatClient));
        Extractor = extractor;
        _sampler = new RepeatedSampler(innerClient, options);
    }

    /// <summary>The answer extractor.</summary>
    public IAnswerExtractor Extractor { get; }

    /// <summary>How many samples and how.</summary>
    public RepeatedSamplingOptions Options => _sampler.Options;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var result = await _sampler.SampleAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var vote = MajorityVote.Tally(result.Candidates.Select(c => c.Text), Extractor);
        var selection = vote.ToSelection();

        AdditionalPropertiesDictionary details = new()
        {
            [StrategyResponseProperties.Agreement] = vote.Agreement,
            [StrategyResponseProperties.Votes] = vote.WinnerCount,
            [StrategyResponseProperties.Voters] = vote.Voters,
            [StrategyResponseProperties.Tally] = vote.Tally,
        };
        if (vote.Winner is { } answer)
        {
            details[StrategyResponseProperties.Answer] = answer;
        }
        var reason = selection.Index is null ? selection.Reason + "; returned the first" : selection.Reason;
        return CandidateResponses.Create(result, selection.Index ?? 0, reason, details);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        CandidateResponses.StreamAsync(ct => GetResponseAsync(messages, options, ct), cancellationToken);

    /// <inheritdoc />
    /// <remarks>Answers <see cref="ConfidenceSignals"/> with what its responses report (the vote's agreement, and log-probabilities when its samples have them).</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ConfidenceSignals)
            ? new ConfidenceSignals(Agreement: true, MeanLogprob: _sampler.ReportsLogprobs)
            : base.GetService(serviceType, serviceKey);
}
