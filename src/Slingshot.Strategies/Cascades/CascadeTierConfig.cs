namespace Slingshot.Strategies.Cascades;

/// <summary>One tier of a <see cref="CascadeConfig"/>.</summary>
public sealed record CascadeTierConfig
{
    /// <summary>Name reported for the tier's attempts (calibration writes the run it was calibrated on).</summary>
    public string Name { get; init; } = "";

    /// <summary>The served model that answers at this tier (a server's model or endpoint name); null lets the host decide.</summary>
    public string? Model { get; init; }

    /// <summary>Samples drawn at this tier and voted on (1 = a single answer).</summary>
    public int Samples { get; init; } = 1;

    /// <summary>The least score answered at this tier; below it the request escalates. Null on the last tier.</summary>
    public double? Threshold { get; init; }

    /// <summary>Price of the tier's tokens, when known.</summary>
    public TokenPrice? Price { get; init; }
}
