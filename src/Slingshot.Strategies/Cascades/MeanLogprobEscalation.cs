using System.Globalization;
using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies.Cascades;

/// <summary>
/// Token-level confidence: escalates when the returned sample's mean token log-probability is below the
/// threshold. The sample is the one <see cref="StrategyResponseProperties.SelectedIndex"/> names among
/// <see cref="StrategyResponseProperties.Candidates"/> (sampling middleware asked for log-probabilities,
/// <see cref="RepeatedSamplingOptions.TopLogprobs"/> = 0). A response that reports none escalates: with no
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
    public ValueTask<EscalationDecision> DecideAsync(IReadOnlyList<ChatMessage> messages, ChatResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        return ValueTask.FromResult(SelectedMeanLogprob(response) is { } logprob
            ? ThresholdDecision.Compare("mean logprob", logprob, Threshold)
            : new EscalationDecision(true, null, "no log-probabilities reported"));
    }

    private static double? SelectedMeanLogprob(ChatResponse response)
    {
        var properties = response.AdditionalProperties;
        if (properties?.TryGetValue(StrategyResponseProperties.Candidates, out var value) != true || value is not IReadOnlyList<Sample> candidates)
        {
            return null;
        }
        var selected = properties.TryGetValue(StrategyResponseProperties.SelectedIndex, out var index) && index is not null
            ? Convert.ToInt32(index, CultureInfo.InvariantCulture)
            : 0;
        return candidates.FirstOrDefault(c => c.Index == selected)?.MeanLogprob;
    }
}
