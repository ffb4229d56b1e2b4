using Slingshot.Evaluation.Store;
using Slingshot.Strategies.Cascades;
using Slingshot.Strategies.Selection;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Cascades;

/// <summary>
/// The problems that every tier's run answered, each tier's outcome replayed from its stored samples: the
/// majority answer of its first k samples (ties to the first seen), whether it is correct, the escalation
/// test's score of it, and the tokens, price and latency of the calls that drew those samples.
/// </summary>
public sealed class CascadeDataset
{
    private CascadeDataset(IReadOnlyList<CascadeTierRun> tiers, string escalation, IReadOnlyList<CascadeProblem> problems, int skipped)
    {
        Tiers = tiers;
        Escalation = escalation;
        Problems = problems;
        SkippedProblems = skipped;
    }

    /// <summary>The tiers, cheapest first.</summary>
    public IReadOnlyList<CascadeTierRun> Tiers { get; }

    /// <summary>The escalation test the scores are for.</summary>
    public string Escalation { get; }

    /// <summary>The problems every tier answered with at least its k graded samples, in the first run's order.</summary>
    public IReadOnlyList<CascadeProblem> Problems { get; }

    /// <summary>Problems of the first run left out because a tier had fewer than its k graded samples of them.</summary>
    public int SkippedProblems { get; }

    /// <summary>Replays <paramref name="tiers"/> from <paramref name="store"/>, scoring each tier's answer with <paramref name="escalation"/>.</summary>
    /// <param name="store">The store holding every tier's run.</param>
    /// <param name="tiers">The tiers, cheapest first; at least two.</param>
    /// <param name="escalation">agreement, logprob, verifier or judge.</param>
    /// <param name="verifier">The verifier or judge that scores answers (verifier and judge tests only); it sees the winning sample's text and answer.</param>
    /// <param name="cancellationToken">Cancels verifier calls.</param>
    /// <exception cref="ArgumentException">A run is missing, a tier's settings are invalid, or no problem is shared.</exception>
    public static async Task<CascadeDataset> LoadAsync(RunStore store, IReadOnlyList<CascadeTierRun> tiers, string escalation,
        IVerifier? verifier = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tiers);
        Validate(tiers, escalation, verifier);
        var perTier = new List<Dictionary<string, TierOutcome>>();
        foreach (var tier in tiers)
        {
            perTier.Add(await ReplayAsync(store, tier, escalation, verifier, cancellationToken).ConfigureAwait(false));
        }
        var order = store.GetProblems(tiers[0].RunId).Select(p => p.ProblemId).ToList();
        var problems = new List<CascadeProblem>();
        foreach (var id in order)
        {
            if (perTier.All(t => t.ContainsKey(id)))
            {
                problems.Add(new CascadeProblem(id, [.. perTier.Select(t => t[id])]));
            }
        }
        if (problems.Count == 0)
        {
            throw new ArgumentException($"The runs {string.Join(", ", tiers.Select(t => $"'{t.RunId}'"))} share no problem with enough graded samples "
                + "(draw them over the same task, and grade them with 'slingshot grade').");
        }
        return new CascadeDataset([.. tiers], escalation, problems, order.Count - problems.Count);
    }

    private static void Validate(IReadOnlyList<CascadeTierRun> tiers, string escalation, IVerifier? verifier)
    {
        if (tiers.Count < 2)
        {
            throw new ArgumentException("A cascade needs at least two tiers (runs).");
        }
        if (!CascadeConfig.EscalationNames.Contains(escalation))
        {
            throw new ArgumentException($"Unknown escalation test '{escalation}'; valid names: {string.Join(", ", CascadeConfig.EscalationNames)}.");
        }
        if (verifier is null && (escalation == VerifierEscalation.TestName || escalation == JudgeScoreEscalation.TestName))
        {
            throw new ArgumentException($"The {escalation} escalation test needs a verifier to score the stored answers.");
        }
        foreach (var tier in tiers)
        {
            if (tier is null || string.IsNullOrWhiteSpace(tier.RunId) || tier.Samples < 1)
            {
                throw new ArgumentException("Every cascade tier needs a run id and at least one sample.");
            }
        }
    }

    private static async Task<Dictionary<string, TierOutcome>> ReplayAsync(RunStore store, CascadeTierRun tier, string escalation,
        IVerifier? verifier, CancellationToken cancellationToken)
    {
        if (store.GetRun(tier.RunId) is null)
        {
            throw new ArgumentException($"Run '{tier.RunId}' is not in store '{store.Path}' (see 'slingshot store list').");
        }
        var draws = store.GetDraws(tier.RunId).ToLookup(d => d.ProblemId);
        var outcomes = new Dictionary<string, TierOutcome>();
        foreach (var group in store.GetSamples(tier.RunId, maxIndex: tier.Samples).GroupBy(s => s.ProblemId))
        {
            var samples = group.OrderBy(s => s.Index).ToList();
            if (samples.Count < tier.Samples || samples.Any(s => s.Correct is null))
            {
                continue;
            }
            var vote = MajorityVote.Tally([.. samples.Select(s => s.Answer)]);
            var chosen = samples[vote.WinnerIndex ?? 0];
            var score = escalation switch
            {
                AgreementEscalation.TestName => vote.Voters == 0 ? 0 : (double)vote.WinnerCount / vote.Voters,
                MeanLogprobEscalation.TestName => chosen.MeanLogprob,
                _ => await VerifierScoreAsync(verifier!, chosen, cancellationToken).ConfigureAwait(false),
            };
            var (tokens, cost, latency) = Spend(tier, draws[group.Key], samples);
            outcomes[group.Key] = new TierOutcome(vote.Winner, chosen.Correct == true, score, cost, tokens, latency);
        }
        return outcomes;
    }

    private static async Task<double?> VerifierScoreAsync(IVerifier verifier, StoredSample sample, CancellationToken cancellationToken)
    {
        // No reference in the context: at serving time no verifier knows it, so calibrating with it would promise too much.
        var verdict = await verifier.VerifyAsync(sample.Text, new VerificationContext { Answer = sample.Answer }, cancellationToken).ConfigureAwait(false);
        return verdict.Score ?? (verdict.Passed ? 1 : 0);
    }

    /// <summary>
    /// Tokens, price and latency of drawing the first k samples: the prompt of every call that drew one of them,
    /// their completion tokens, and (for a call that drew more than k) its price and latency in proportion.
    /// </summary>
    private static (long Tokens, double CostUsd, double LatencyMs) Spend(CascadeTierRun tier, IEnumerable<StoredDraw> draws, IReadOnlyList<StoredSample> samples)
    {
        long promptTokens = 0;
        double storedCost = 0, latency = 0;
        foreach (var draw in draws.Where(d => d.FirstSample < tier.Samples))
        {
            var used = Math.Min(draw.SampleCount, tier.Samples - draw.FirstSample);
            var share = draw.SampleCount == 0 ? 1 : (double)used / draw.SampleCount;
            promptTokens += draw.PromptTokens;
            storedCost += draw.CostUsd * share;
            latency += draw.LatencyMs * share;
        }
        // A sample stores its own completion tokens when its source could attribute them; one that could not (n choices of
        // one remote request) counts an even share of its draw's reported total.
        var completionTokens = (long)Math.Round(samples.Sum(s => s.CompletionTokens
            ?? (draws.FirstOrDefault(d => s.Index >= d.FirstSample && s.Index < d.FirstSample + d.SampleCount) is { SampleCount: > 0 } d
                ? (double)d.CompletionTokens / d.SampleCount : 0)));
        var cost = tier.Price is { } price ? price.Cost(promptTokens, completionTokens) : storedCost;
        return (promptTokens + completionTokens, cost, latency);
    }
}
