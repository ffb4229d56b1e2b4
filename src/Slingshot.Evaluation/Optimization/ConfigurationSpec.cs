using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Slingshot.Evaluation.Optimization;

/// <summary>How a configuration turns samples into one answer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConfigurationKind>))]
public enum ConfigurationKind
{
    /// <summary>One sample, its answer as is.</summary>
    Single,

    /// <summary>k samples, the most frequent extracted answer (maj@k).</summary>
    Vote,

    /// <summary>k samples, the one with the highest mean token log-probability.</summary>
    LogprobBest,

    /// <summary>k samples, the first the task's verifier passes (executable verifiers only, such as unit tests).</summary>
    Verifier,

    /// <summary>Tiers asked in turn, each voting over its samples, escalating while its escalation score is below its threshold.</summary>
    Cascade,
}

/// <summary>One tier of a configuration: an arm and how many of its samples it draws.</summary>
/// <param name="Arm">The candidate and temperature.</param>
/// <param name="Samples">Samples per problem (k).</param>
public sealed record TierSpec(ArmKey Arm, int Samples);

/// <summary>A configuration the optimizer evaluates: what is drawn and how one answer is chosen.</summary>
public sealed record ConfigurationSpec
{
    /// <summary>How the answer is chosen.</summary>
    public required ConfigurationKind Kind { get; init; }

    /// <summary>The arm(s) and sample counts; one tier except for cascades (cheapest first).</summary>
    public required IReadOnlyList<TierSpec> Tiers { get; init; }

    /// <summary>Cascades: the escalation test (agreement or logprob).</summary>
    public string? Escalation { get; init; }

    /// <summary>Cascades: the least score answered at each tier but the last.</summary>
    public IReadOnlyList<double> Thresholds { get; init; } = [];

    /// <summary>
    /// Whether <c>slingshot serve</c> can serve it as it was evaluated: one sample, a vote, or a cascade of votes tested by
    /// agreement or log-probability. Best-of-n and verifier selection are evaluated but not served yet.
    /// </summary>
    public bool Servable => Kind is ConfigurationKind.Single or ConfigurationKind.Vote or ConfigurationKind.Cascade;

    /// <summary>Samples drawn per problem when every tier is asked (the most a problem can take).</summary>
    public int MaxSamples => Tiers.Sum(t => t.Samples);

    /// <summary>A readable, unique name: "small t0.6 vote@4", "small t0 ×1 → big t0 ×1 (agreement ≥ 1)".</summary>
    public string Name
    {
        get
        {
            if (Kind != ConfigurationKind.Cascade)
            {
                return $"{Tiers[0].Arm} {TierText(Kind, Tiers[0].Samples)}";
            }
            var name = new StringBuilder();
            for (var i = 0; i < Tiers.Count; i++)
            {
                name.Append(i == 0 ? "" : " → ").Append(Tiers[i].Arm).Append(' ')
                    .Append(TierText(Tiers[i].Samples == 1 ? ConfigurationKind.Single : ConfigurationKind.Vote, Tiers[i].Samples));
            }
            name.Append(" (").Append(Escalation).Append(" ≥ ")
                .AppendJoin(", ", Thresholds.Select(t => t.ToString("0.###", CultureInfo.InvariantCulture))).Append(')');
            return name.ToString();
        }
    }

    private static string TierText(ConfigurationKind kind, int k) => kind switch
    {
        ConfigurationKind.Single => "×1",
        ConfigurationKind.Vote => $"vote@{k}",
        ConfigurationKind.LogprobBest => $"best-logprob@{k}",
        ConfigurationKind.Verifier => $"verifier@{k}",
        _ => $"×{k}",
    };

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A configuration's figures on one split.</summary>
public sealed record ConfigurationResult
{
    /// <summary>The configuration.</summary>
    public required ConfigurationSpec Spec { get; init; }

    /// <summary>Problems it was measured on.</summary>
    public required int Problems { get; init; }

    /// <summary>Accuracy (unbiased estimate from the stored samples).</summary>
    public required double Accuracy { get; init; }

    /// <summary>Lower end of the Wilson interval at the run's confidence (what the target is compared with).</summary>
    public required double Lower { get; init; }

    /// <summary>Upper end of the Wilson interval at the run's confidence.</summary>
    public required double Upper { get; init; }

    /// <summary>Expected cost per problem in the run's basis; NaN when unknown in it (an endpoint's FLOPs).</summary>
    public required double CostPerProblem { get; init; }

    /// <summary>Median over problems of the wall time of the stored calls the configuration uses, in milliseconds.</summary>
    public required double LatencyP50Ms { get; init; }

    /// <summary>95th percentile of the same.</summary>
    public required double LatencyP95Ms { get; init; }

    /// <summary>Cascades: per tier, the share of problems it answered.</summary>
    public IReadOnlyList<double> AnsweredShare { get; init; } = [];

    /// <summary>The configuration's name.</summary>
    public string Name => Spec.Name;
}
