namespace Slingshot.Evaluation.Metrics;

/// <summary>Where a many-sample run catches up with a reference run, by one metric.</summary>
/// <param name="Metric">"coverage" (pass@k) or "maj@k".</param>
/// <param name="Target">The reference run's accuracy at one sample.</param>
/// <param name="K">Smallest k at which the candidate reaches the target within its samples; null when it does not.</param>
/// <param name="PredictedK">For coverage beyond the drawn samples: the k the fit predicts; null without a fit.</param>
/// <param name="CostRatio">Candidate's cost at k (its per-problem cost scaled by k / n) over the reference's per-problem cost; null when either is unknown.</param>
public sealed record CatchUp(string Metric, double Target, int? K, double? PredictedK, double? CostRatio);

/// <summary>"Small model at k samples vs large model at 1": the k where the small one matches the large one, and what it costs there.</summary>
/// <param name="Candidate">The many-sample run (small model).</param>
/// <param name="Reference">The run it is compared with (large model, usually k = 1).</param>
/// <param name="CostUnit">What cost ratios are measured in: "usd", "flops" or "tokens".</param>
/// <param name="Coverage">Catch-up by coverage (an oracle verifier picks the answer).</param>
/// <param name="MajorityVote">Catch-up by majority vote (no verifier); null for tasks without answers.</param>
public sealed record RunComparison(RunSummary Candidate, RunSummary Reference, string CostUnit, CatchUp Coverage, CatchUp? MajorityVote)
{
    /// <summary>
    /// Compares <paramref name="candidate"/> (with its per-problem outcomes, so every k from 1 to n is evaluated,
    /// not only powers of two) against <paramref name="reference"/>'s accuracy at one sample.
    /// </summary>
    public static RunComparison Compare(RunSummary candidate, IReadOnlyList<ProblemOutcome> candidateOutcomes, RunSummary reference)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(candidateOutcomes);
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Curve.Count == 0 || candidate.Curve.Count == 0)
        {
            throw new ArgumentException("Both runs need graded samples to be compared.");
        }
        var n = candidate.SamplesPerProblem;
        var graded = candidateOutcomes.Where(p => p.Samples.Count >= n).ToList();
        var (unit, candidateCost, referenceCost) = CostBasis(candidate, reference);

        double? Ratio(int? k) => k is { } kk && candidateCost is { } c && referenceCost is > 0 ? c * kk / n / referenceCost.Value : null;

        var coverageTarget = reference.Curve[0].Coverage;
        int? coverageK = FirstK(n, k => graded.Average(p => PassAtK.Estimate(n, p.Samples.Take(n).Count(s => s.Correct), k)), coverageTarget);
        var predicted = coverageK is null ? candidate.Fit?.SamplesFor(coverageTarget) : null;
        var coverage = new CatchUp("coverage", coverageTarget, coverageK, predicted, Ratio(coverageK ?? (predicted is { } p ? (int)Math.Ceiling(p) : null)));

        CatchUp? majority = null;
        if (candidate.Settings.ExtractsAnswers && reference.Curve[0].MajorityVote is { } majorityTarget)
        {
            var majorityK = FirstK(n, k => graded.Average(p => p.MajorityCorrect(k) ? 1.0 : 0.0), majorityTarget);
            majority = new CatchUp("maj@k", majorityTarget, majorityK, null, Ratio(majorityK));
        }
        return new RunComparison(candidate, reference, unit, coverage, majority);
    }

    private static int? FirstK(int n, Func<int, double> accuracy, double target)
    {
        for (var k = 1; k <= n; k++)
        {
            // A hair of tolerance so that equal accuracies computed along different paths count as reached.
            if (accuracy(k) >= target - 1e-12)
            {
                return k;
            }
        }
        return null;
    }

    /// <summary>Price when both runs have one, else FLOPs when both have them, else tokens.</summary>
    private static (string Unit, double? Candidate, double? Reference) CostBasis(RunSummary candidate, RunSummary reference)
    {
        if (candidate.Cost.PriceUsd > 0 && reference.Cost.PriceUsd > 0)
        {
            return ("usd", candidate.Cost.PricePerProblem, reference.Cost.PricePerProblem);
        }
        if (candidate.Cost.Flops > 0 && reference.Cost.Flops > 0)
        {
            return ("flops", candidate.Cost.FlopsPerProblem, reference.Cost.FlopsPerProblem);
        }
        return ("tokens", candidate.Cost.TokensPerProblem, reference.Cost.TokensPerProblem);
    }
}
