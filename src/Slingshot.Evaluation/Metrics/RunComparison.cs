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
/// <param name="SharedProblems">Problems both runs graded; both are compared on these only.</param>
public sealed record RunComparison(RunSummary Candidate, RunSummary Reference, string CostUnit, CatchUp Coverage, CatchUp? MajorityVote, int SharedProblems)
{
    /// <summary>
    /// Compares <paramref name="candidate"/> (with its per-problem outcomes, so every k from 1 to n is evaluated,
    /// not only powers of two) against <paramref name="reference"/>'s accuracy at one sample, on the problems both
    /// graded. Costs are per sample: the candidate's cost per problem scaled by k / n against the reference's cost
    /// per problem divided by its own sample count.
    /// </summary>
    /// <exception cref="ArgumentException">The runs are on different tasks, share no problem, or lack graded samples.</exception>
    public static RunComparison Compare(RunSummary candidate, IReadOnlyList<ProblemOutcome> candidateOutcomes,
        RunSummary reference, IReadOnlyList<ProblemOutcome> referenceOutcomes)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(candidateOutcomes);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(referenceOutcomes);
        if (candidate.Settings.Task != reference.Settings.Task)
        {
            throw new ArgumentException($"The runs are on different tasks ({candidate.Settings.Task} and {reference.Settings.Task}); compare runs of one task.");
        }
        var shared = candidateOutcomes.Select(p => p.ProblemId).Intersect(referenceOutcomes.Select(p => p.ProblemId), StringComparer.Ordinal)
            .ToHashSet(StringComparer.Ordinal);
        if (shared.Count == 0 || reference.Curve.Count == 0 || candidate.Curve.Count == 0)
        {
            throw new ArgumentException("The runs share no graded problem; nothing to compare.");
        }
        var graded = candidateOutcomes.Where(p => shared.Contains(p.ProblemId)).ToList();
        candidate = Restrict(candidate, graded);
        reference = Restrict(reference, referenceOutcomes.Where(p => shared.Contains(p.ProblemId)).ToList());
        var n = candidate.SamplesPerProblem;
        graded = graded.Where(p => p.Samples.Count >= n).ToList();
        var (unit, candidateCost, referenceCost) = CostBasis(candidate, reference);
        var referencePerSample = referenceCost / Math.Max(1, reference.SamplesPerProblem);

        double? Ratio(int? k) => k is { } kk && candidateCost is { } c && referencePerSample is > 0 ? c * kk / n / referencePerSample.Value : null;

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
        return new RunComparison(candidate, reference, unit, coverage, majority, shared.Count);
    }

    /// <summary>The summary over a subset of its problems, its totals scaled to the subset's share.</summary>
    private static RunSummary Restrict(RunSummary summary, IReadOnlyList<ProblemOutcome> outcomes)
    {
        if (outcomes.Count == summary.Problems)
        {
            return summary;
        }
        var share = summary.Problems == 0 ? 0 : (double)outcomes.Count / summary.Problems;
        var cost = summary.Cost with
        {
            PromptTokens = (long)(summary.Cost.PromptTokens * share),
            CompletionTokens = (long)(summary.Cost.CompletionTokens * share),
            Flops = summary.Cost.Flops * share,
            WallSeconds = summary.Cost.WallSeconds * share,
            PriceUsd = summary.Cost.PriceUsd * share,
        };
        return RunMetrics.Summarize(summary.RunId, summary.Settings, outcomes, summary.Settings.ExtractsAnswers, cost, summary.CreatedAt);
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
