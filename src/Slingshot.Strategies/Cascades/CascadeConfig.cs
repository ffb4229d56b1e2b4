using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Cascades;

/// <summary>
/// A cascade's calibrated settings, as the JSON file that <c>slingshot cascade calibrate</c> writes and the
/// server and CLI read (<see cref="CascadeConfigFile"/>): the escalation test and, per tier, its samples,
/// threshold and price.
/// </summary>
public sealed record CascadeConfig
{
    /// <summary>The escalation test's name: agreement, logprob, verifier or judge.</summary>
    public string Escalation { get; init; } = AgreementEscalation.TestName;

    /// <summary>The tiers, cheapest first; at least two.</summary>
    public IReadOnlyList<CascadeTierConfig> Tiers { get; init; } = [];

    /// <summary>How the thresholds were chosen, when calibration wrote the file.</summary>
    public CascadeCalibrationNote? Calibration { get; init; }

    /// <summary>The escalation test names a config may use.</summary>
    public static IReadOnlyList<string> EscalationNames { get; } =
        [AgreementEscalation.TestName, MeanLogprobEscalation.TestName, VerifierEscalation.TestName, JudgeScoreEscalation.TestName];

    /// <summary>Checks the config and throws <see cref="ArgumentException"/> with one readable line when it is unusable.</summary>
    public void Validate()
    {
        if (!EscalationNames.Contains(Escalation))
        {
            throw new ArgumentException($"Unknown escalation test '{Escalation}'; valid names: {string.Join(", ", EscalationNames)}.");
        }
        if (Tiers is null || Tiers.Count < 2)
        {
            throw new ArgumentException("A cascade config needs at least two tiers.");
        }
        for (var i = 0; i < Tiers.Count; i++)
        {
            var tier = Tiers[i] ?? throw new ArgumentException($"Cascade tier {i + 1} is empty.");
            if (tier.Samples < 1)
            {
                throw new ArgumentException($"Cascade tier {i + 1} ('{tier.Name}') needs at least one sample (got {tier.Samples}).");
            }
            if (i < Tiers.Count - 1 && Escalation != VerifierEscalation.TestName && tier.Threshold is null)
            {
                throw new ArgumentException($"Cascade tier {i + 1} ('{tier.Name}') needs a threshold: it is not the last tier.");
            }
            if (tier.Threshold is { } threshold && double.IsNaN(threshold))
            {
                throw new ArgumentException($"Cascade tier {i + 1} ('{tier.Name}') has a threshold that is not a number.");
            }
        }
    }

    /// <summary>
    /// The escalation test of tier <paramref name="tier"/> (0-based), null for the last tier without a threshold.
    /// Verifier and judge tests need <paramref name="verifier"/>.
    /// </summary>
    public IEscalationTest? CreateTest(int tier, IVerifier? verifier = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tier);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(tier, Tiers.Count);
        var threshold = Tiers[tier].Threshold;
        if (threshold is null && Escalation != VerifierEscalation.TestName)
        {
            return null;
        }
        return Escalation switch
        {
            AgreementEscalation.TestName => new AgreementEscalation(threshold!.Value),
            MeanLogprobEscalation.TestName => new MeanLogprobEscalation(threshold!.Value),
            VerifierEscalation.TestName => new VerifierEscalation(verifier ?? throw new ArgumentException("The verifier escalation test needs a verifier.")),
            JudgeScoreEscalation.TestName => new JudgeScoreEscalation(verifier ?? throw new ArgumentException("The judge escalation test needs a judge (a verifier that scores)."), threshold!.Value),
            _ => throw new ArgumentException($"Unknown escalation test '{Escalation}'; valid names: {string.Join(", ", EscalationNames)}."),
        };
    }
}
