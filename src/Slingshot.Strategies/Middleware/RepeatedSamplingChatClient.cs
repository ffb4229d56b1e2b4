using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies;

/// <summary>
/// Draws k samples for every request and returns the first, with all k in its <see cref="StrategyOutcome.Candidates"/>
/// and usage summed over every sample. Use it to collect samples (for logging, storage, a selection of your own).
/// </summary>
/// <remarks>
/// <para>
/// Not a building block for the selection middleware: <see cref="MajorityVoteChatClient"/> and
/// <see cref="VerifierChatClient"/> draw their own k samples through the same <see cref="RepeatedSampler"/>,
/// so each is used alone (<c>UseMajorityVote(extractor, 8)</c>, not <c>UseRepeatedSampling(8).UseMajorityVote(...)</c>);
/// they refuse to wrap this client.
/// </para>
/// <para>
/// When the inner client exposes <see cref="ISampleSource"/> the k samples come from one call to it (forked by the
/// engine), which bypasses middleware between this client and the engine; set
/// <see cref="RepeatedSamplingOptions.PreferSampleSource"/> to false to send k calls through them instead.
/// Streaming computes the whole response first and then yields it.
/// </para>
/// </remarks>
public sealed class RepeatedSamplingChatClient : StrategyChatClient
{
    private readonly RepeatedSamplingStrategy _strategy;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">Where the samples come from.</param>
    /// <param name="options">How many samples and how; default <see cref="RepeatedSamplingOptions"/>.</param>
    public RepeatedSamplingChatClient(IChatClient innerClient, RepeatedSamplingOptions? options = null)
        : base(innerClient)
    {
        _strategy = new RepeatedSamplingStrategy(new RepeatedSampler(innerClient, options));
    }

    /// <summary>How many samples and how.</summary>
    public RepeatedSamplingOptions Options => _strategy.Sampler.Options;

    /// <inheritdoc />
    public override IStrategy Strategy => _strategy;

    /// <inheritdoc />
    /// <remarks>Log-probabilities when its samples have them; no vote.</remarks>
    protected override ConfidenceSignals Signals => new(Agreement: false, MeanLogprob: _strategy.Sampler.ReportsLogprobs);

    /// <summary>
    /// Refuses to put a selection strategy over this client: the strategy draws its own samples, so each of
    /// its k calls would draw k more (or, with a sample source beneath, this client would be skipped).
    /// </summary>
    internal static void ThrowIfBeneath(IChatClient innerClient, string strategy)
    {
        if (innerClient.GetService<RepeatedSamplingChatClient>() is not null)
        {
            throw new ArgumentException(
                $"{strategy} draws its own samples; remove UseRepeatedSampling beneath it and set the count on {strategy}.",
                nameof(innerClient));
        }
    }
}
