namespace Slingshot.Evaluation.Metrics;

/// <summary>Turns graded samples into a <see cref="RunSummary"/>: coverage curve, maj@k, selection accuracy, fit and cost.</summary>
public static class RunMetrics
{
    /// <summary>
    /// Summarizes a run. Coverage and maj@k are reported up to the smallest sample count any problem has, so every
    /// point averages over the same problems; problems without samples are left out.
    /// </summary>
    /// <param name="runId">Run id.</param>
    /// <param name="settings">How the run was drawn.</param>
    /// <param name="problems">Graded samples per problem.</param>
    /// <param name="hasAnswers">Whether the task extracts answers (false for code: no maj@k).</param>
    /// <param name="cost">Tokens, compute, time and price; <see cref="CostSummary.Problems"/> and <see cref="CostSummary.Solved"/> are filled in here.</param>
    /// <param name="createdAt">When the run was created.</param>
    public static RunSummary Summarize(string runId, RunSettings settings, IReadOnlyList<ProblemOutcome> problems, bool hasAnswers,
        CostSummary cost, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var all = problems.Where(p => p.Samples.Count > 0).ToList();
        var n = all.Count == 0 ? 0 : all.Min(p => p.Samples.Count);
        // Every figure uses the same first n samples of each problem, so the oracle verifier equals coverage at n.
        var graded = all.Select(p => p.Samples.Count == n ? p : p with { Samples = p.Samples.Take(n).ToList() }).ToList();
        var curve = new List<CoveragePoint>();
        foreach (var k in PassAtK.Budgets(n))
        {
            var coverage = graded.Average(p => PassAtK.Estimate(n, p.Correct, k));
            double? majority = hasAnswers ? graded.Average(p => p.MajorityCorrect(k) ? 1.0 : 0.0) : null;
            curve.Add(new CoveragePoint(k, coverage, majority));
        }

        var logprobVerdicts = graded.Select(p => p.LogprobSelectedCorrect()).ToList();
        double? logprobSelected = graded.Count > 0 && logprobVerdicts.All(v => v.HasValue)
            ? logprobVerdicts.Average(v => v!.Value ? 1.0 : 0.0)
            : null;
        // The grader used as the verifier: the first passing sample is chosen, so the selected answer is correct
        // exactly when some sample passed (an oracle bound that an imperfect verifier can only fall short of).
        double? verifierSelected = graded.Count > 0 ? graded.Average(p => p.Samples.Any(s => s.Correct) ? 1.0 : 0.0) : null;

        var solved = hasAnswers
            ? graded.Count(p => p.MajorityCorrect(n))
            : graded.Count(p => p.Samples.Any(s => s.Correct));
        return new RunSummary
        {
            RunId = runId,
            Settings = settings,
            Problems = graded.Count,
            SamplesPerProblem = n,
            Curve = curve,
            VerifierSelectedAccuracy = verifierSelected,
            LogprobSelectedAccuracy = logprobSelected,
            Fit = CoverageFitter.Fit(curve.Select(p => (p.K, p.Coverage))),
            Cost = cost with { Problems = graded.Count, Solved = solved },
            CreatedAt = createdAt,
        };
    }
}
