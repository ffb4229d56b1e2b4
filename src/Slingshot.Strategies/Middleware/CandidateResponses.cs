using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies;

/// <summary>Turns a chosen sample into the <see cref="ChatResponse"/> the sampling middleware return.</summary>
internal static class CandidateResponses
{
    /// <summary>
    /// The response carrying candidate <paramref name="index"/>'s text, the usage of every sample, the
    /// candidates and the selection details under <see cref="StrategyResponseProperties"/> keys.
    /// </summary>
    public static ChatResponse Create(RepeatedSamplingResult result, int index, string reason, AdditionalPropertiesDictionary? details = null)
    {
        var chosen = result.Candidates[index];
        var properties = details ?? [];
        properties[StrategyResponseProperties.Candidates] = result.Candidates;
        properties[StrategyResponseProperties.SelectedIndex] = index;
        properties[StrategyResponseProperties.Reason] = reason;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, chosen.Text))
        {
            ModelId = result.ModelId,
            FinishReason = chosen.FinishReason.ToChatFinishReason(),
            Usage = result.Usage,
            CreatedAt = DateTimeOffset.UtcNow,
            ResponseId = "slingshot-" + Guid.NewGuid().ToString("N")[..24],
            AdditionalProperties = properties,
        };
    }

    /// <summary>
    /// Streams a response that can only be known whole: selection needs every sample before it answers, so
    /// the updates come after the full response is computed.
    /// </summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(Func<CancellationToken, Task<ChatResponse>> respond,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await respond(cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }
}
