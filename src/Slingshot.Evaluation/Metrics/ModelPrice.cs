namespace Slingshot.Evaluation.Metrics;

/// <summary>A model's price in US dollars per million tokens, for the cost ledger.</summary>
/// <param name="InputPerMillion">Price of a million prompt tokens.</param>
/// <param name="OutputPerMillion">Price of a million completion tokens.</param>
public readonly record struct ModelPrice(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>Free (a local model without a configured price).</summary>
    public static ModelPrice Free => default;

    /// <summary>Price of the given tokens.</summary>
    public double Cost(long promptTokens, long completionTokens) =>
        (promptTokens * InputPerMillion + completionTokens * OutputPerMillion) / 1_000_000.0;
}
