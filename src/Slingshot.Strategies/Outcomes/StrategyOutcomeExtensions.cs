using Microsoft.Extensions.AI;

namespace Slingshot.Strategies;

/// <summary>Reads and attaches a <see cref="StrategyOutcome"/> at the <see cref="IChatClient"/> edge.</summary>
public static class StrategyOutcomeExtensions
{
    /// <summary>The outcome a strategy put on <paramref name="response"/>, or null when it carries none (a plain model's reply).</summary>
    public static StrategyOutcome? GetStrategyOutcome(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties.GetStrategyOutcome();
    }

    /// <summary>The outcome a strategy put on this streamed <paramref name="update"/>, or null when it carries none.</summary>
    public static StrategyOutcome? GetStrategyOutcome(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.AdditionalProperties.GetStrategyOutcome();
    }

    /// <summary>The outcome under <see cref="StrategyOutcome.PropertyKey"/> in <paramref name="properties"/>, or null.</summary>
    public static StrategyOutcome? GetStrategyOutcome(this AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(StrategyOutcome.PropertyKey, out var value) == true ? value as StrategyOutcome : null;

    /// <summary>Puts <paramref name="outcome"/> on <paramref name="response"/> (replacing any there) and returns the response.</summary>
    public static ChatResponse WithStrategyOutcome(this ChatResponse response, StrategyOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(outcome);
        (response.AdditionalProperties ??= [])[StrategyOutcome.PropertyKey] = outcome;
        return response;
    }

    /// <summary>Puts <paramref name="outcome"/> on <paramref name="update"/> (replacing any there) and returns the update.</summary>
    public static ChatResponseUpdate WithStrategyOutcome(this ChatResponseUpdate update, StrategyOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(outcome);
        (update.AdditionalProperties ??= [])[StrategyOutcome.PropertyKey] = outcome;
        return update;
    }
}
