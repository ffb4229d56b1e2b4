using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Sampling;

/// <summary>
/// Draws k samples of one prompt from any <see cref="IChatClient"/>, in one <see cref="ISampleSource.SampleAsync"/>
/// call: the client's own <see cref="ISampleSource"/> when it has one (the local engine forks the decoded prompt into
/// k sequences, a remote endpoint sends <c>n</c>), otherwise a <see cref="ChatClientSampleSource"/> over it (k
/// concurrent <see cref="IChatClient.GetResponseAsync"/> calls, at most <see cref="RepeatedSamplingOptions.MaxConcurrency"/>
/// at a time, call i with seed <c>seed + i</c> when the request sets a seed, so the k samples differ and a rerun
/// reproduces them).
/// </summary>
public sealed class RepeatedSampler
{
    /// <summary>Creates a sampler over <paramref name="client"/>.</summary>
    /// <param name="client">Where the samples come from; not owned.</param>
    /// <param name="options">Count and concurrency; default <see cref="RepeatedSamplingOptions"/>.</param>
    public RepeatedSampler(IChatClient client, RepeatedSamplingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new RepeatedSamplingOptions();
        options.Validate();
        Client = client;
        Options = options;
    }

    /// <summary>The client the samples come from.</summary>
    public IChatClient Client { get; }

    /// <summary>How many samples and how.</summary>
    public RepeatedSamplingOptions Options { get; }

    /// <summary>
    /// Whether its samples carry token log-probabilities: they are asked for (<see cref="RepeatedSamplingOptions.TopLogprobs"/>),
    /// drawn through the client's own <see cref="ISampleSource"/>, and that source reports them.
    /// </summary>
    public bool ReportsLogprobs => Options.TopLogprobs is not null && Options.PreferSampleSource
        && Client.GetService<ISampleSource>()?.Info.SupportsLogprobs == true;

    /// <summary>Draws <see cref="RepeatedSamplingOptions.Count"/> samples of a reply to <paramref name="messages"/>.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="options">Temperature, top-p, maximum tokens and seed of every sample; never modified.</param>
    /// <param name="cancellationToken">Cancels every call in flight.</param>
    /// <returns>The samples in index order with the usage of all calls together.</returns>
    public async Task<RepeatedSamplingResult> SampleAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var own = Options.PreferSampleSource ? Client.GetService<ISampleSource>() : null;
        var source = own ?? new ChatClientSampleSource(Client, Options.MaxConcurrency);
        // Log-probabilities only where the source can report them; a plain chat client's samples carry none.
        var topLogprobs = source.Info.SupportsLogprobs ? Options.TopLogprobs : null;
        var result = await source.SampleAsync(SampleRequest.Chat(messages, Options.Count, options, topLogprobs), cancellationToken)
            .ConfigureAwait(false);
        // A client's own source names its model as the client does; separate calls report it in their responses.
        var modelId = own is not null ? own.Info.ModelId : result.ModelId;
        return new RepeatedSamplingResult(result.Samples, result.Usage.ToUsageDetails(), modelId, UsedSampleSource: own is not null);
    }
}
