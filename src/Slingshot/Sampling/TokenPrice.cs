using Microsoft.Extensions.AI;

namespace Slingshot;

/// <summary>A model's price in US dollars per million tokens: the one price formula of the cost ledger, cascades and reports.</summary>
/// <param name="InputPerMillion">Price of a million prompt tokens.</param>
/// <param name="OutputPerMillion">Price of a million completion tokens.</param>
public readonly record struct TokenPrice(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>Free (a local model without a configured price).</summary>
    public static TokenPrice Free => default;

    /// <summary>Price of the given tokens.</summary>
    public double Cost(long promptTokens, long completionTokens) =>
        (promptTokens * InputPerMillion + completionTokens * OutputPerMillion) / 1_000_000.0;

    /// <summary>Price of <paramref name="usage"/>.</summary>
    public double Cost(TokenUsage usage) => Cost(usage.PromptTokens, usage.CompletionTokens);

    /// <summary>Price of <paramref name="usage"/> (0 when it is null).</summary>
    public double Cost(UsageDetails? usage) => usage is null ? 0 : Cost(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0);

    /// <summary>Throws a one-line <see cref="ArgumentException"/> unless both prices are finite and at least 0.</summary>
    public void Validate()
    {
        if (!double.IsFinite(InputPerMillion) || !double.IsFinite(OutputPerMillion) || InputPerMillion < 0 || OutputPerMillion < 0)
        {
            throw new ArgumentException("Prices must be finite numbers >= 0 (US dollars per million tokens).");
        }
    }
}
