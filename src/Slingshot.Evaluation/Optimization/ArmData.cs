using System.Globalization;

namespace Slingshot.Evaluation.Optimization;

/// <summary>One way of drawing samples: a candidate at a sampling temperature (one run in the store).</summary>
/// <param name="Candidate">The candidate's name.</param>
/// <param name="Temperature">Sampling temperature (0 = greedy, where more than one sample adds nothing).</param>
public readonly record struct ArmKey(string Candidate, double Temperature)
{
    /// <summary>Whether more than one sample can differ (greedy decoding repeats itself).</summary>
    public bool IsSampled => Temperature > 0;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Candidate} t{Temperature:0.##}");
}

/// <summary>One graded sample as the optimizer sees it.</summary>
/// <param name="Answer">Canonical extracted answer (null: none; such samples do not vote).</param>
/// <param name="Correct">The grader's verdict.</param>
/// <param name="MeanLogprob">Mean token log-probability, when recorded.</param>
/// <param name="LatencyMs">This sample's share of the wall time of the call that drew it.</param>
public readonly record struct ArmSample(string? Answer, bool Correct, double? MeanLogprob, double LatencyMs = 0);

/// <summary>The graded samples of one problem drawn by one arm, in index order.</summary>
/// <param name="ProblemId">Problem id.</param>
/// <param name="Samples">Its samples (every problem of an arm has the same count).</param>
public sealed record ArmProblem(string ProblemId, IReadOnlyList<ArmSample> Samples)
{
    /// <summary>Wall time of the stored calls that drew the first <paramref name="k"/> samples.</summary>
    public double LatencyMs(int k) => Samples.Take(k).Sum(s => s.LatencyMs);
}

/// <summary>What a configuration costs per problem, in the chosen basis: a part per problem (the prompt) and a part per sample.</summary>
/// <param name="PerProblem">Cost paid once per problem (prompt tokens); any unit shared by all arms.</param>
/// <param name="PerSample">Cost of each sample (completion tokens, or its share of the wall time).</param>
public readonly record struct ArmCost(double PerProblem, double PerSample)
{
    /// <summary>Expected cost of <paramref name="k"/> samples of one problem; NaN when the cost is unknown in the basis.</summary>
    public double Of(int k) => PerProblem + k * PerSample;
}

/// <summary>An arm's samples on one split, all problems with the same number of graded samples, and its cost rates.</summary>
/// <param name="Key">The arm.</param>
/// <param name="Problems">Its problems, in the task's order.</param>
/// <param name="Cost">Its cost rates.</param>
public sealed record ArmData(ArmKey Key, IReadOnlyList<ArmProblem> Problems, ArmCost Cost)
{
    /// <summary>Samples per problem (the same for every problem; 0 without problems).</summary>
    public int SampleCount => Problems.Count == 0 ? 0 : Problems.Min(p => p.Samples.Count);

    /// <summary>Whether every sample has a mean log-probability (best-of-n by logprob needs them).</summary>
    public bool HasLogprobs => Problems.Count > 0 && Problems.All(p => p.Samples.All(s => s.MeanLogprob is not null));
}
