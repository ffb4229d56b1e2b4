using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies;

/// <summary>
/// Majority vote as middleware (maj@k): runs <see cref="MajorityVoteStrategy"/> over samples of the inner client and
/// returns the chosen sample with its <see cref="StrategyOutcome"/> (answer, agreement, votes, voters, tally, candidates,
/// selected index, reason; read it with <see cref="StrategyOutcomeExtensions.GetStrategyOutcome(ChatResponse)"/>). Its
/// usage is the sum over every sample.
/// </summary>
/// <remarks>
/// It draws its own samples through <see cref="RepeatedSampler"/> (one call when the inner client exposes
/// <see cref="ISampleSource"/>, k parallel calls with seeds seed + i otherwise), so it is used alone, never over
/// <see cref="RepeatedSamplingChatClient"/>. Voting needs every sample before it answers: streaming computes the whole
/// response first and then yields it.
/// </remarks>
public sealed class MajorityVoteChatClient : StrategyChatClient
{
    private readonly MajorityVoteStrategy _vote;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">Where the samples come from.</param>
    /// <param name="extractor">Turns a sample's text into its canonical answer.</param>
    /// <param name="options">How many samples and how; default <see cref="RepeatedSamplingOptions"/>.</param>
    public MajorityVoteChatClient(IChatClient innerClient, IAnswerExtractor extractor, RepeatedSamplingOptions? options = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        RepeatedSamplingChatClient.ThrowIfBeneath(innerClient, nameof(MajorityVoteChatClient));
        _vote = new MajorityVoteStrategy(new RepeatedSampler(innerClient, options), extractor);
    }

    /// <summary>The answer extractor.</summary>
    public IAnswerExtractor Extractor => _vote.Extractor;

    /// <summary>How many samples and how.</summary>
    public RepeatedSamplingOptions Options => _vote.Sampler.Options;

    /// <inheritdoc />
    public override IStrategy Strategy => _vote;

    /// <inheritdoc />
    /// <remarks>The vote's agreement, and log-probabilities when its samples have them.</remarks>
    protected override ConfidenceSignals Signals => new(Agreement: true, MeanLogprob: _vote.Sampler.ReportsLogprobs);
}
