using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies;

/// <summary>
/// Draws k samples for every request and returns the first, with all k attached under
/// <see cref="StrategyResponseProperties.Candidates"/> (an <c>IReadOnlyList&lt;Sample&gt;</c>) and usage
/// summed over every sample. Use it to collect samples (for logging, storage, a selection of your own).
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
public sealed class RepeatedSamplingChatClient : DelegatingChatClient
{
    private readonly RepeatedSampler _sampler;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">Where the samples come from.</param>
    /// <param name="options">How many samples and how; default <see cref="RepeatedSamplingOptions"/>.</param>
    public RepeatedSamplingChatClient(IChatClient innerClient, RepeatedSamplingOptions? options = null)
        : base(innerClient)
    {
        _sampler = new RepeatedSampler(innerClient, options);
    }

    /// <summary>How many samples and how.</summary>
    public RepeatedSamplingOptions Options => _sampler.Options;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var result = await _sampler.SampleAsync(messages, options, cancellationToken).ConfigureAwait(false);
        return CandidateResponses.Create(result, 0, $"first of {result.Candidates.Count} samples");
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        CandidateResponses.StreamAsync(ct => GetResponseAsync(messages, options, ct), cancellationToken);

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

    /// <inheritdoc />
    /// <remarks>Answers <see cref="ConfidenceSignals"/> with what its responses report (log-probabilities when its samples have them; no vote).</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ConfidenceSignals)
            ? new ConfidenceSignals(Agreement: false, MeanLogprob: _sampler.ReportsLogprobs)
            : base.GetService(serviceType, serviceKey);
}
