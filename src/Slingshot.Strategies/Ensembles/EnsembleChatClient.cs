using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Ensembles;

/// <summary>
/// An ensemble as a chat client: it exposes <see cref="EnsembleSampleSource"/> through
/// <c>GetService&lt;ISampleSource&gt;()</c>, so <c>UseMajorityVote</c> and <see cref="Sampling.RepeatedSampler"/>
/// draw their k samples from all members. Asked directly for one reply, it answers with one sample, which comes
/// from the member with the largest share. The members belong to the caller.
/// </summary>
public sealed class EnsembleChatClient : IChatClient
{
    private readonly ChatClientMetadata _metadata;

    /// <summary>Creates a client over <paramref name="members"/>.</summary>
    /// <param name="members">The models; at least one.</param>
    /// <param name="modelId">Name reported as the model; default "ensemble(a,b,...)".</param>
    public EnsembleChatClient(IEnumerable<EnsembleMember> members, string? modelId = null)
    {
        Source = new EnsembleSampleSource(members, modelId);
        _metadata = new ChatClientMetadata("slingshot-ensemble", defaultModelId: ModelId);
    }

    /// <summary>The sample source over the members.</summary>
    public EnsembleSampleSource Source { get; }

    /// <summary>The model name reported.</summary>
    public string ModelId => Source.Info.ModelId;

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await Source.SampleAsync(SampleRequest.Chat(messages, 1, options), cancellationToken).ConfigureAwait(false);
        var sample = result.Samples[0];
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, sample.Text))
        {
            ModelId = ModelId,
            FinishReason = sample.FinishReason.ToChatFinishReason(),
            Usage = result.Usage.ToUsageDetails(),
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }
        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }
        if (serviceType.IsInstanceOfType(Source))
        {
            return Source;
        }
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The members belong to whoever created them.
    }
}
