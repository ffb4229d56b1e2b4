using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies.Cascades;

/// <summary>
/// Token-level confidence: escalates when the returned sample's mean token log-probability is below the
/// threshold. The sample is the tier's answer (the outcome's <see cref="StrategyOutcome.Selected"/> candidate: sampling
/// middleware asked for log-probabilities, <see cref="RepeatedSamplingOptions.TopLogprobs"/> = 0). An answer that reports none escalates: with no
/// evidence of confidence the next tier is the safer answer. A cascade refuses to test a tier whose responses can never
/// carry log-probabilities this way (<see cref="CannotScore"/>).
/// </summary>
public sealed class MeanLogprobEscalation : IEscalationTest
{
    /// <summary>The name used in configuration files.</summary>
    public const string TestName = "logprob";

    /// <summary>Creates the test with the least mean log-probability answered at this tier (a value &lt;= 0).</summary>
    public MeanLogprobEscalation(double threshold)
    {
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "The log-probability threshold must be a number.");
        }
        Threshold = threshold;
    }

    /// <summary>The least mean token log-probability answered at this tier.</summary>
    public double Threshold { get; }

    /// <inheritdoc />
    public string Name => TestName;

    /// <inheritdoc />
    public string? CannotScore(IChatClient tier)
    {
        ArgumentNullException.ThrowIfNull(tier);
        return tier.GetService<ConfidenceSignals>() is { MeanLogprob: true }
            ? null
            : "that tier does not sample with log-probabilities (sampling middleware with TopLogprobs over a source that "
              + "reports them), so it would always escalate";
    }

    /// <inheritdoc />
    public ValueTask<EscalationDecision> DecideAsync(IReadOnlyList<ChatMessage> messages, StrategyResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        return ValueTask.FromResult(result.Answer.MeanLogprob is { } logprob
            ? ThresholdDecision.Compare("mean logprob", logprob, Threshold)
            : new EscalationDecision(true, null, "no log-probabilities reported"));
    }
}
