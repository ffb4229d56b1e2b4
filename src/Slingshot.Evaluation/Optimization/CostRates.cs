namespace Slingshot.Evaluation.Optimization;

/// <summary>What a configuration's cost is measured in.</summary>
public enum OptimizeCostBasis
{
    /// <summary>US dollars per problem: endpoint prices, local models by wall time at the user's $/hour.</summary>
    Dollars,

    /// <summary>Floating-point operations per problem, 2 × parameters × tokens (local models only; an endpoint's are unknown).</summary>
    Flops,

    /// <summary>Wall seconds per problem on this machine (what drawing the stored samples took).</summary>
    Seconds,
}

/// <summary>What the store measured about one arm, averaged over its problems.</summary>
/// <param name="PromptTokensPerProblem">Prompt tokens of one call per problem (a prompt forked into k samples is processed once).</param>
/// <param name="CompletionTokensPerSample">Completion tokens per sample.</param>
/// <param name="WallSecondsPerSample">Wall time of the run per sample drawn (batching and concurrency included).</param>
public readonly record struct ArmMeasurements(double PromptTokensPerProblem, double CompletionTokensPerSample, double WallSecondsPerSample);

/// <summary>Turns an arm's measurements into cost rates in a basis.</summary>
public static class CostRates
{
    /// <summary>The rates of <paramref name="candidate"/>'s arm with <paramref name="measured"/> figures in <paramref name="basis"/>.</summary>
    /// <param name="candidate">The candidate (its prices, or whether it is local).</param>
    /// <param name="parameters">The local model's parameter count (FLOPs); null when unknown.</param>
    /// <param name="measured">Tokens and wall time from the store.</param>
    /// <param name="basis">The cost measure.</param>
    /// <param name="localDollarsPerHour">What an hour of this machine costs (local models in dollars).</param>
    public static ArmCost For(OptimizeCandidate candidate, long? parameters, ArmMeasurements measured, OptimizeCostBasis basis, double localDollarsPerHour)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return basis switch
        {
            OptimizeCostBasis.Seconds => new ArmCost(0, measured.WallSecondsPerSample),
            OptimizeCostBasis.Flops when candidate.IsLocal && parameters is { } p =>
                new ArmCost(2.0 * p * measured.PromptTokensPerProblem, 2.0 * p * measured.CompletionTokensPerSample),
            OptimizeCostBasis.Flops => new ArmCost(double.NaN, double.NaN),
            _ when candidate.IsLocal => new ArmCost(0, measured.WallSecondsPerSample * localDollarsPerHour / 3600.0),
            _ => new ArmCost(measured.PromptTokensPerProblem * candidate.InputPricePerMillion / 1_000_000.0,
                measured.CompletionTokensPerSample * candidate.OutputPricePerMillion / 1_000_000.0),
        };
    }
}
