using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Cascades;

/// <summary>
/// Decides whether a cascade tier's answer is good enough to return or the request should go to the next
/// tier: a score (agreement, verifier or judge score, mean log-probability) compared with a threshold.
/// Implementations are thread-safe: one test judges many requests at once.
/// </summary>
public interface IEscalationTest
{
    /// <summary>Short name used in configuration files and on the command line ("agreement", "logprob", ...).</summary>
    string Name { get; }

    /// <summary>
    /// Scores <paramref name="result"/>, the tier's answer to <paramref name="messages"/> with its typed outcome (a plain
    /// model's reply is a one-candidate outcome, <see cref="StrategyResult.FromResponse"/>), and says whether to escalate.
    /// </summary>
    ValueTask<EscalationDecision> DecideAsync(IReadOnlyList<ChatMessage> messages, StrategyResult result, CancellationToken cancellationToken = default);

    /// <summary>
    /// Why <paramref name="tier"/>'s responses can never be scored by this test (they do not report what it reads), so a
    /// cascade refuses the configuration when it is built; null when they can (the default: the test reads the text).
    /// </summary>
    string? CannotScore(IChatClient tier) => null;
}
