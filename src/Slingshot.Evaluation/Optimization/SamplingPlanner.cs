namespace Slingshot.Evaluation.Optimization;

/// <summary>Where an arm stands in the search.</summary>
/// <param name="Key">The arm.</param>
/// <param name="Samples">Samples per development problem it has.</param>
/// <param name="Cost">Its cost rates (NaN when unknown in the basis).</param>
/// <param name="CoverageAtN">pass@n on the development split at its current n.</param>
/// <param name="CoverageAtHalf">pass@(n/2) (equal to <paramref name="CoverageAtN"/> at n = 1).</param>
public sealed record ArmState(ArmKey Key, int Samples, ArmCost Cost, double CoverageAtN, double CoverageAtHalf);

/// <summary>One step of drawing: raise an arm to <paramref name="Samples"/> per development problem.</summary>
/// <param name="Key">The arm.</param>
/// <param name="Samples">Its new sample count.</param>
/// <param name="NewSamples">Samples this draws (new per problem × problems).</param>
public sealed record ArmRaise(ArmKey Key, int Samples, int NewSamples);

/// <summary>
/// Decides which samples to draw next, successive-halving style: every arm starts with one sample per development
/// problem; an arm doubles its samples only while it can still win (its configurations at the doubled k would cost less
/// than the cheapest configuration already reaching the target, and its coverage, which bounds every selection's
/// accuracy, could still reach the target); the others are dropped. The budget caps the samples drawn, keeping
/// enough back for the held-out check of what a raise could make the choice. Pure: the same state gives the same plan.
/// </summary>
public sealed class SamplingPlanner
{
    /// <summary>Creates a planner.</summary>
    /// <param name="developmentProblems">Problems in the development split.</param>
    /// <param name="heldOutProblems">Problems in the held-out split.</param>
    /// <param name="maxSamples">Most samples per problem (K).</param>
    /// <param name="budgetSamples">Most samples in all (development and held-out); null for no cap.</param>
    /// <param name="target">The accuracy target.</param>
    /// <param name="confidence">Confidence of the bounds.</param>
    public SamplingPlanner(int developmentProblems, int heldOutProblems, int maxSamples, long? budgetSamples, double target, double confidence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(developmentProblems, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(heldOutProblems);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSamples, 1);
        DevelopmentProblems = developmentProblems;
        HeldOutProblems = heldOutProblems;
        MaxSamples = maxSamples;
        BudgetSamples = budgetSamples;
        Target = target;
        Confidence = confidence;
    }

    /// <summary>Problems in the development split.</summary>
    public int DevelopmentProblems { get; }

    /// <summary>Problems in the held-out split.</summary>
    public int HeldOutProblems { get; }

    /// <summary>Most samples per problem.</summary>
    public int MaxSamples { get; }

    /// <summary>Most samples in all; null for no cap.</summary>
    public long? BudgetSamples { get; }

    /// <summary>The accuracy target.</summary>
    public double Target { get; }

    /// <summary>Confidence of the bounds.</summary>
    public double Confidence { get; }

    /// <summary>Samples the first round needs: one per development problem per arm, plus one per held-out problem for the check.</summary>
    public long FirstRoundSamples(int arms) => (long)arms * DevelopmentProblems + HeldOutProblems;

    /// <summary>
    /// Throws a one-line <see cref="ArgumentException"/> when the budget cannot pay for the first round, before anything is drawn.
    /// </summary>
    public void CheckBudget(int arms)
    {
        if (BudgetSamples is { } budget && budget < FirstRoundSamples(arms))
        {
            throw new ArgumentException($"--budget-samples {budget} is too small to decide: one sample of each of the {arms} candidate settings on " +
                $"{DevelopmentProblems} development problems, and one per problem of the {HeldOutProblems} held-out problems, already take {FirstRoundSamples(arms)}.");
        }
    }

    /// <summary>
    /// The raises of the next round, cheapest arm first: each arm that can still win doubles its samples (up to K) while the
    /// budget allows. Empty when the search is over.
    /// </summary>
    /// <param name="arms">Every arm's state.</param>
    /// <param name="bestCost">Cost of the cheapest configuration reaching the target so far; null when none does.</param>
    /// <param name="samplesUsed">Samples the search has used so far (development and held-out).</param>
    public IReadOnlyList<ArmRaise> NextRound(IReadOnlyList<ArmState> arms, double? bestCost, long samplesUsed)
    {
        ArgumentNullException.ThrowIfNull(arms);
        var raises = new List<ArmRaise>();
        var used = samplesUsed;
        foreach (var arm in arms.Where(CanStillWin(bestCost)).OrderBy(a => a.Cost.Of(Next(a))).ThenBy(a => a.Key.ToString(), StringComparer.Ordinal))
        {
            var next = Next(arm);
            var raise = (next - arm.Samples) * DevelopmentProblems;
            // Keep back what a held-out check of this arm at the new k would draw (one sample per problem is already kept).
            var heldOut = (long)Math.Max(0, next - 1) * HeldOutProblems;
            if (BudgetSamples is { } budget && used + raise + heldOut > budget)
            {
                continue;
            }
            used += raise;
            raises.Add(new ArmRaise(arm.Key, next, raise));
        }
        return raises;
    }

    /// <summary>Whether an arm may still draw: it samples, is below K, would still be cheaper than the best, and could still reach the target.</summary>
    public Func<ArmState, bool> CanStillWin(double? bestCost) => arm =>
    {
        if (!arm.Key.IsSampled || arm.Samples >= MaxSamples || arm.Samples < 1)
        {
            return false;
        }
        var cost = arm.Cost.Of(Next(arm));
        if (bestCost is { } best && !(cost < best))
        {
            return false; // every configuration using it at the doubled k costs at least this much
        }
        return OptimisticCoverage(arm) >= Target - 1e-9;
    };

    /// <summary>
    /// What coverage at the doubled k could optimistically be: the upper Wilson bound of coverage at n plus twice the
    /// last doubling's gain (coverage grows about log-linearly in k, so a doubling gains at most about the last one);
    /// 1 when only one sample is known. Every selection's accuracy is at most its coverage.
    /// </summary>
    public double OptimisticCoverage(ArmState arm)
    {
        ArgumentNullException.ThrowIfNull(arm);
        if (arm.Samples <= 1)
        {
            return 1;
        }
        var gain = Math.Max(0, arm.CoverageAtN - arm.CoverageAtHalf);
        return Math.Min(1, WilsonInterval.Upper(arm.CoverageAtN, DevelopmentProblems, Confidence) + 2 * gain);
    }

    private int Next(ArmState arm) => Math.Min(MaxSamples, arm.Samples * 2);
}
