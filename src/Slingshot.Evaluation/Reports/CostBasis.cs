using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Reports;

/// <summary>The cost measure an accuracy-vs-cost comparison uses.</summary>
internal enum CostBasis
{
    /// <summary>US dollars per problem; used when any run has a price.</summary>
    PricePerProblem,

    /// <summary>Estimated FLOPs per problem; used when no run has a price but some have FLOPs.</summary>
    FlopsPerProblem,

    /// <summary>Tokens in and out per problem; the measure every run has.</summary>
    TokensPerProblem,
}

/// <summary>Chooses and reads the <see cref="CostBasis"/> for a set of runs.</summary>
internal static class CostBases
{
    /// <summary>Price when any run has one, else FLOPs when any run has them, else tokens.</summary>
    public static CostBasis Choose(IEnumerable<RunSummary> runs)
    {
        var list = runs.ToList();
        if (list.Any(r => IsPositive(r.Cost.PriceUsd)))
        {
            return CostBasis.PricePerProblem;
        }
        return list.Any(r => IsPositive(r.Cost.Flops)) ? CostBasis.FlopsPerProblem : CostBasis.TokensPerProblem;
    }

    /// <summary>The run's cost per problem in <paramref name="basis"/>.</summary>
    public static double CostOf(RunSummary run, CostBasis basis) => basis switch
    {
        CostBasis.PricePerProblem => run.Cost.PricePerProblem,
        CostBasis.FlopsPerProblem => run.Cost.FlopsPerProblem,
        _ => run.Cost.TokensPerProblem,
    };

    /// <summary>Name of <paramref name="basis"/> in running text.</summary>
    public static string Name(CostBasis basis) => basis switch
    {
        CostBasis.PricePerProblem => "price per problem (US$)",
        CostBasis.FlopsPerProblem => "FLOPs per problem",
        _ => "tokens per problem",
    };

    /// <summary>Axis title for <paramref name="basis"/>.</summary>
    public static string AxisLabel(CostBasis basis) => basis switch
    {
        CostBasis.PricePerProblem => "Price per problem (US$, log scale)",
        CostBasis.FlopsPerProblem => "FLOPs per problem (log scale)",
        _ => "Tokens per problem (log scale)",
    };

    /// <summary>How one value of <paramref name="basis"/> reads on a tick or label.</summary>
    public static string Format(CostBasis basis, double value) => basis switch
    {
        CostBasis.PricePerProblem => ReportFormatting.Dollars(value),
        CostBasis.FlopsPerProblem => ReportFormatting.Scientific(value),
        _ => ReportFormatting.Compact(value),
    };

    /// <summary>How a tick of <paramref name="basis"/> reads: as short as the value allows.</summary>
    public static string FormatTick(CostBasis basis, double value) =>
        basis == CostBasis.PricePerProblem ? "$" + ReportFormatting.Compact(value) : ReportFormatting.Compact(value);

    private static bool IsPositive(double value) => double.IsFinite(value) && value > 0;
}
