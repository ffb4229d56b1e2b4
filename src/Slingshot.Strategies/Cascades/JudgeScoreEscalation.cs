using Microsoft.Extensions.AI;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Cascades;

/// <summary>
/// Escalates when a judge's confidence in the tier's answer (<see cref="Verdict.Score"/>, for example a small
/// judge model's P(yes)) is below the threshold. Any <see cref="IVerifier"/> works; one whose verdicts carry
/// no score counts as 1 when it passes and 0 when it fails.
/// </summary>
public sealed class JudgeScoreEscalation : IEscalationTest
{
    /// <summary>The name used in configuration files.</summary>
    public const string TestName = "judge";

    private readonly IVerifier _judge;

    /// <summary>Creates the test around <paramref name="judge"/> with the least score answered at this tier.</summary>
    public JudgeScoreEscalation(IVerifier judge, double threshold)
    {
        ArgumentNullException.ThrowIfNull(judge);
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "The judge threshold must be a number.");
        }
        _judge = judge;
        Threshold = threshold;
    }

    /// <summary>The least judge score answered at this tier.</summary>
    public double Threshold { get; }

    /// <inheritdoc />
    public string Name => TestName;

    /// <inheritdoc />
    public async ValueTask<EscalationDecision> DecideAsync(IReadOnlyList<ChatMessage> messages, StrategyResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var verdict = await _judge.VerifyAsync(result.Answer.Text, ResponseContext.Of(result), cancellationToken).ConfigureAwait(false);
        return ThresholdDecision.Compare($"{_judge.Name} score", verdict.Score ?? (verdict.Passed ? 1 : 0), Threshold);
    }
}
