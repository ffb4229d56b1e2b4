using Microsoft.Extensions.AI;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Cascades;

/// <summary>
/// Escalates when a verifier fails the tier's answer (a test run, a schema, a regex). The verifier sees the
/// answer's text and, when a voting tier extracted one, its answer (<see cref="StrategyOutcome.Answer"/>).
/// The decision's score is the verdict's <see cref="Verdict.Score"/> when it has one, else 1 for pass and 0 for fail.
/// </summary>
public sealed class VerifierEscalation : IEscalationTest
{
    /// <summary>The name used in configuration files.</summary>
    public const string TestName = "verifier";

    private readonly IVerifier _verifier;

    /// <summary>Creates the test around <paramref name="verifier"/>.</summary>
    public VerifierEscalation(IVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        _verifier = verifier;
    }

    /// <inheritdoc />
    public string Name => TestName;

    /// <inheritdoc />
    public async ValueTask<EscalationDecision> DecideAsync(IReadOnlyList<ChatMessage> messages, StrategyResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var verdict = await _verifier.VerifyAsync(result.Answer.Text, ResponseContext.Of(result), cancellationToken).ConfigureAwait(false);
        var score = verdict.Score ?? (verdict.Passed ? 1 : 0);
        return verdict.Passed
            ? new EscalationDecision(false, score, $"{_verifier.Name} passed: {verdict.Reason}")
            : new EscalationDecision(true, score, $"{_verifier.Name} failed: {verdict.Reason}");
    }
}
