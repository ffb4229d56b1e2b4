using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies;

/// <summary>Draws k samples and answers with the first, all k kept in the outcome's candidates (collection, not selection).</summary>
public sealed class RepeatedSamplingStrategy : IStrategy
{
    /// <summary>Creates the strategy over <paramref name="sampler"/>.</summary>
    public RepeatedSamplingStrategy(RepeatedSampler sampler)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        Sampler = sampler;
    }

    /// <summary>Where the samples come from.</summary>
    public RepeatedSampler Sampler { get; }

    /// <inheritdoc />
    public async Task<StrategyResult> AnswerAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var result = await Sampler.SampleAsync(messages, options, cancellationToken).ConfigureAwait(false);
        return result.Select(0, new StrategyOutcome { Reason = $"first of {result.Candidates.Count} samples" });
    }
}
