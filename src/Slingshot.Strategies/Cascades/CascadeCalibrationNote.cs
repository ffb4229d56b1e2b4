namespace Slingshot.Strategies.Cascades;

/// <summary>How a <see cref="CascadeConfig"/>'s thresholds were chosen and what they promised, kept beside them.</summary>
public sealed record CascadeCalibrationNote
{
    /// <summary>The run store the runs came from.</summary>
    public string? Store { get; init; }

    /// <summary>What was asked: "accuracy at least 0.9 at least cost" or "most accuracy at cost at most 0.001".</summary>
    public string? Objective { get; init; }

    /// <summary>Share of problems in the development split.</summary>
    public double DevelopmentFraction { get; init; }

    /// <summary>Seed of the split.</summary>
    public long SplitSeed { get; init; }

    /// <summary>Problems in the development split.</summary>
    public int DevelopmentProblems { get; init; }

    /// <summary>Accuracy the thresholds reached on the development split.</summary>
    public double PromisedAccuracy { get; init; }

    /// <summary>Mean cost per problem in US dollars on the development split.</summary>
    public double PromisedCostPerProblem { get; init; }

    /// <summary>When the config was written (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
