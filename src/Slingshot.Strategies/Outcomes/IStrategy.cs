using Microsoft.Extensions.AI;

namespace Slingshot.Strategies;

/// <summary>
/// A test-time strategy: answers a conversation by drawing and judging samples (vote, verifier, first of k) or by choosing
/// among models (cascade, router), and says how in a typed <see cref="StrategyOutcome"/>. The <c>UseXxx</c> middleware
/// are its <see cref="IChatClient"/> edge; a middleware exposes its strategy through <c>GetService&lt;IStrategy&gt;()</c>.
/// </summary>
public interface IStrategy
{
    /// <summary>Answers <paramref name="messages"/>.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="options">Temperature, top-p, maximum tokens and seed of the calls; never modified.</param>
    /// <param name="cancellationToken">Cancels every call in flight.</param>
    Task<StrategyResult> AnswerAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default);
}
