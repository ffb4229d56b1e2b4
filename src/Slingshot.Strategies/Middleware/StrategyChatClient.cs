using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Slingshot.Strategies;

/// <summary>
/// The <see cref="IChatClient"/> edge of an <see cref="IStrategy"/>: runs the strategy and returns its answer with the typed
/// <see cref="StrategyOutcome"/> under <see cref="StrategyOutcome.PropertyKey"/>. Streaming computes the whole answer first
/// (a strategy needs every sample, or a tier's whole reply, before it answers) and then yields it.
/// </summary>
/// <remarks>
/// A strategy is not a model: <c>GetService&lt;ISampleSource&gt;()</c> answers null instead of handing out the inner
/// client's source, so a sampler above it (a vote over a verifier, an ensemble member that is a cascade) calls this client
/// and gets the strategy's answers, not the raw samples of the model beneath it.
/// </remarks>
public abstract class StrategyChatClient : DelegatingChatClient
{
    /// <summary>Wraps <paramref name="innerClient"/>, where the strategy's samples (or its first tier's replies) come from.</summary>
    protected StrategyChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <summary>The strategy this client runs.</summary>
    public abstract IStrategy Strategy { get; }

    /// <summary>What this client's responses report for an escalation test to score.</summary>
    protected abstract ConfidenceSignals? Signals { get; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var result = await Strategy.AnswerAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        return result.ToResponse();
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Answers <see cref="IStrategy"/> with <see cref="Strategy"/>, <see cref="ConfidenceSignals"/> with what its responses
    /// report, and <see cref="ISampleSource"/> with null (the inner client's source would bypass the strategy); other
    /// services come from the inner client.
    /// </remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(ISampleSource))
            {
                return null;
            }
            if (serviceType == typeof(ConfidenceSignals))
            {
                return Signals;
            }
            if (serviceType == typeof(IStrategy))
            {
                return Strategy;
            }
        }
        return base.GetService(serviceType, serviceKey);
    }
}
