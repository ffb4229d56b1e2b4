using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Cascades;

/// <summary>
/// Self-consistency confidence: escalates when the share of a voting tier's samples that gave the winning
/// answer (<see cref="StrategyOutcome.Agreement"/>, set by majority vote) is below the threshold.
/// An outcome without an agreement counts as 0; a cascade refuses to test a tier that does not vote this way
/// (<see cref="CannotScore"/>), since it would always escalate.
/// </summary>
public sealed class AgreementEscalation : IEscalationTest
{
    /// <summary>The name used in configuration files.</summary>
    public const string TestName = "agreement";

    /// <summary>Creates the test with the least agreement answered at this tier.</summary>
    /// <param name="threshold">Least agreement kept, in [0, 1]; above 1 always escalates.</param>
    public AgreementEscalation(double threshold)
    {
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "The agreement threshold must be a number.");
        }
        Threshold = threshold;
    }

    /// <summary>The least agreement answered at this tier.</summary>
    public double Threshold { get; }

    /// <inheritdoc />
    public string Name => TestName;

    /// <inheritdoc />
    public string? CannotScore(IChatClient tier)
    {
        ArgumentNullException.ThrowIfNull(tier);
        return tier.GetService<ConfidenceSignals>() is { Agreement: true }
            ? null
            : "that tier does not vote (use UseMajorityVote), so it reports no agreement and would always escalate";
    }

    /// <inheritdoc />
    public ValueTask<EscalationDecision> DecideAsync(IReadOnlyList<ChatMessage> messages, StrategyResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        return ValueTask.FromResult(ThresholdDecision.Compare("agreement", result.Outcome.Agreement ?? 0, Threshold));
    }
}
