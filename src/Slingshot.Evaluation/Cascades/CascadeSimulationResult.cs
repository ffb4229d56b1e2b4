namespace Slingshot.Evaluation.Cascades;

/// <summary>What a cascade with given thresholds did over a set of problems, replayed offline.</summary>
public sealed record CascadeSimulationResult
{
    /// <summary>The thresholds, one per tier but the last.</summary>
    public required IReadOnlyList<double> Thresholds { get; init; }

    /// <summary>Problems replayed.</summary>
    public required int Problems { get; init; }

    /// <summary>Share answered correctly.</summary>
    public required double Accuracy { get; init; }

    /// <summary>Mean price per problem in US dollars, every tier asked counted.</summary>
    public required double CostPerProblem { get; init; }

    /// <summary>Mean tokens (prompt and completion) per problem.</summary>
    public required double TokensPerProblem { get; init; }

    /// <summary>Mean wall time of the calls per problem, in milliseconds.</summary>
    public required double LatencyMsPerProblem { get; init; }

    /// <summary>Per tier, the share of problems whose answer came from it.</summary>
    public required IReadOnlyList<double> AnsweredShare { get; init; }
}
