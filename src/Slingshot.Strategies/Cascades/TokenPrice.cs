using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Cascades;

/// <summary>A tier's price in US dollars per million tokens, to put a cost on each cascade attempt.</summary>
/// <param name="InputPerMillion">Price of a million prompt tokens.</param>
/// <param name="OutputPerMillion">Price of a million completion tokens.</param>
public readonly record struct TokenPrice(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>Price of the given tokens.</summary>
    public double Cost(long inputTokens, long outputTokens) =>
        (inputTokens * InputPerMillion + outputTokens * OutputPerMillion) / 1_000_000.0;

    /// <summary>Price of <paramref name="usage"/> (0 when it is null).</summary>
    public double Cost(UsageDetails? usage) => usage is null ? 0 : Cost(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0);
}
