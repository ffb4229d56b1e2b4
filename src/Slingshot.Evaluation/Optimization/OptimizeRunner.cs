using Slingshot.Evaluation.Cascades;
using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Optimization;

/// <summary>
/// The search of <c>slingshot optimize</c>: draws one sample per development problem for every arm (candidate ×
/// temperature), measures every configuration the stored samples allow, and keeps doubling the samples of the arms
/// that can still win (<see cref="SamplingPlanner"/>) until none can or the budget is spent; then chooses
/// (<see cref="ConfigurationChoice"/>) and checks the choice once on the held-out split. Every sample goes through the
/// store, so a second invocation replays the same decisions without drawing again.
/// </summary>
public sealed class OptimizeRunner
{
    private readonly RunStore _store;
    private readonly IArmSampler _sampler;
    private readonly OptimizeOptions _options;
    private readonly IReadOnlyList<OptimizeCandidate> _candidates;
    private readonly TaskAbilities _abilities;

    /// <summary>Prepares a search; nothing is drawn until <see cref="RunAsync"/>.</summary>
    /// <param name="task">Task name (reported).</param>
    /// <param name="problemIds">The task's problems in order; split by a hash of each id.</param>
    /// <param name="abilities">What the task allows.</param>
    /// <param name="candidates">The candidates (names unique).</param>
    /// <param name="store">The store the sampler commits to.</param>
    /// <param name="sampler">Draws samples.</param>
    /// <param name="options">What is asked.</param>
    public OptimizeRunner(string task, IReadOnlyList<string> problemIds, TaskAbilities abilities, IReadOnlyList<OptimizeCandidate> candidates,
        RunStore store, IArmSampler sampler, OptimizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(problemIds);
        ArgumentNullException.ThrowIfNull(candidates);
        Task = task ?? throw new ArgumentNullException(nameof(task));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _sampler = sampler ?? throw new ArgumentNullException(nameof(sampler));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
        if (candidates.Count == 0)
        {
            throw new ArgumentException("Give at least one --candidate.");
        }
        if (candidates.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != candidates.Count)
        {
            throw new ArgumentException("Candidate names must be unique.");
        }
        _candidates = candidates;
        _abilities = abilities;
        Development = [.. problemIds.Where(id => ProblemSplit.IsDevelopment(id, options.DevelopmentFraction, options.SplitSeed))];
        HeldOut = [.. problemIds.Where(id => !ProblemSplit.IsDevelopment(id, options.DevelopmentFraction, options.SplitSeed))];
        if (Development.Count == 0 || HeldOut.Count == 0)
        {
            throw new ArgumentException($"Splitting {problemIds.Count} problems at {options.DevelopmentFraction:0.##} left a split empty; give more problems.");
        }
        // A greedy arm draws one sample per problem; any other temperature may draw up to K.
        Arms = [.. candidates.SelectMany(c => options.Temperatures.Order().Select(t => new ArmKey(c.Name, t)))];
        Planner = new SamplingPlanner(Development.Count, HeldOut.Count, options.MaxSamples, options.BudgetSamples, options.Target, options.Confidence);
    }

    /// <summary>Task name.</summary>
    public string Task { get; }

    /// <summary>The development split's problems.</summary>
    public IReadOnlyList<string> Development { get; }

    /// <summary>The held-out split's problems.</summary>
    public IReadOnlyList<string> HeldOut { get; }

    /// <summary>Every arm, candidates in order, temperatures ascending.</summary>
    public IReadOnlyList<ArmKey> Arms { get; }

    /// <summary>The sampling plan's rules.</summary>
    public SamplingPlanner Planner { get; }

    /// <summary>Runs the search.</summary>
    public async Task<OptimizeResult> RunAsync(IProgress<OptimizeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Planner.CheckBudget(Arms.Count);
        var samples = Arms.ToDictionary(a => a, _ => 0);
        long used = 0, drawn = 0;
        var round = 0;
        progress?.Report(new OptimizeProgress(0, 0, 0, _options.BudgetSamples, 0, Arms.Count, null, "drawing one sample per problem"));
        foreach (var arm in Arms)
        {
            drawn += await _sampler.EnsureAsync(arm, Development, 1, cancellationToken).ConfigureAwait(false);
            used += Development.Count;
            samples[arm] = 1;
            progress?.Report(new OptimizeProgress(0, used, drawn, _options.BudgetSamples, 0, Arms.Count, null, $"drew {arm}"));
        }
        IReadOnlyList<ConfigurationResult> results;
        ConfigurationChoice choice;
        Dictionary<ArmKey, ArmData> data;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            data = Load(Development, samples);
            results = ConfigurationSpace.Evaluate([.. data.Values], _abilities, _options.Target, _options.Confidence);
            choice = ConfigurationChoice.Choose(results, _options.Target);
            round++;
            var states = data.Values.Select(State).ToList();
            var raises = Planner.NextRound(states, choice.Chosen?.CostPerProblem, used);
            var alive = states.Count(Planner.CanStillWin(choice.Chosen?.CostPerProblem));
            progress?.Report(new OptimizeProgress(round, used, drawn, _options.BudgetSamples, results.Count, alive, Best(choice),
                raises.Count == 0 ? "search done" : $"raising {string.Join(", ", raises.Select(r => $"{r.Key} to k={r.Samples}"))}"));
            if (raises.Count == 0)
            {
                break;
            }
            foreach (var raise in raises)
            {
                drawn += await _sampler.EnsureAsync(raise.Key, Development, raise.Samples, cancellationToken).ConfigureAwait(false);
                used += raise.NewSamples;
                samples[raise.Key] = raise.Samples;
                progress?.Report(new OptimizeProgress(round, used, drawn, _options.BudgetSamples, results.Count, alive, Best(choice), $"drew {raise.Key} to k={raise.Samples}"));
            }
        }
        var (heldOut, heldUsed, heldDrawn) = await CheckHeldOutAsync(choice.Chosen, used, cancellationToken).ConfigureAwait(false);
        used += heldUsed;
        drawn += heldDrawn;
        progress?.Report(new OptimizeProgress(round, used, drawn, _options.BudgetSamples, results.Count, 0, Best(choice), "done"));
        return new OptimizeResult
        {
            Task = Task,
            Options = _options,
            Candidates = _candidates,
            Arms = [.. Arms.Select(a => new ArmSummary(a, _sampler.RunId(a), samples[a], data[a].Cost))],
            DevelopmentProblems = Development.Count,
            HeldOutProblems = HeldOut.Count,
            Configurations = results,
            Front = ConfigurationChoice.Front(results),
            Choice = choice,
            HeldOut = heldOut,
            Rounds = round,
            SamplesUsed = used,
            SamplesDrawn = drawn,
            ExhaustiveSamples = Arms.Sum(a => (long)(a.IsSampled ? _options.MaxSamples : 1)) * Development.Count
                + (choice.Chosen?.Spec.MaxSamples ?? 0) * (long)HeldOut.Count,
        };
    }

    private async Task<(HeldOutCheck Check, long Used, long Drawn)> CheckHeldOutAsync(ConfigurationResult? chosen, long used, CancellationToken cancellationToken)
    {
        if (chosen is null)
        {
            return (new HeldOutCheck(null, null, "no configuration reached the target on the development split"), 0, 0);
        }
        var need = chosen.Spec.Tiers.Sum(t => (long)t.Samples) * HeldOut.Count;
        if (_options.BudgetSamples is { } budget && used + need > budget)
        {
            return (new HeldOutCheck(null, null, $"the budget leaves {budget - used} samples and the check needs {need}"), 0, 0);
        }
        long drawn = 0;
        var samples = new Dictionary<ArmKey, int>();
        foreach (var tier in chosen.Spec.Tiers)
        {
            drawn += await _sampler.EnsureAsync(tier.Arm, HeldOut, tier.Samples, cancellationToken).ConfigureAwait(false);
            samples[tier.Arm] = Math.Max(samples.GetValueOrDefault(tier.Arm), tier.Samples);
        }
        var result = ConfigurationEvaluator.Evaluate(chosen.Spec, Load(HeldOut, samples), _options.Confidence);
        return (new HeldOutCheck(result, result.Accuracy >= _options.Target - 1e-9, null), need, drawn);
    }

    private Dictionary<ArmKey, ArmData> Load(IReadOnlyList<string> problems, IReadOnlyDictionary<ArmKey, int> samples)
    {
        var data = new Dictionary<ArmKey, ArmData>();
        foreach (var (arm, k) in samples)
        {
            var runId = _sampler.RunId(arm);
            var candidate = _candidates.First(c => c.Name == arm.Candidate);
            var cost = CostRates.For(candidate, _sampler.Parameters(arm), ArmStoreReader.Measure(_store, runId), _options.CostBasis, _options.LocalDollarsPerHour);
            var loaded = ArmStoreReader.Problems(_store, runId, problems, k);
            if (loaded.Count < problems.Count)
            {
                throw new InvalidOperationException($"Run '{runId}' lacks {k} graded samples of {problems.Count - loaded.Count} of its {problems.Count} problems after drawing them.");
            }
            data[arm] = new ArmData(arm, loaded, cost);
        }
        return data;
    }

    private static ArmState State(ArmData arm)
    {
        var n = arm.SampleCount;
        double Coverage(int k) => arm.Problems.Average(p => PassAtK.Estimate(n, p.Samples.Count(s => s.Correct), k));
        return new ArmState(arm.Key, n, arm.Cost, Coverage(n), Coverage(Math.Max(1, n / 2)));
    }

    private static string? Best(ConfigurationChoice choice) => choice.Chosen is { } chosen
        ? $"{chosen.Name} ({chosen.Accuracy:P1}, reaches the target)"
        : choice.Closest is { } closest ? $"{closest.Name} ({closest.Accuracy:P1}, below the target)" : null;
}
