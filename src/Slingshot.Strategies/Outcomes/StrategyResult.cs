using Microsoft.Extensions.AI;

namespace Slingshot.Strategies;

/// <summary>A strategy's answer to one conversation: the returned sample, what every call cost, and the typed outcome.</summary>
/// <param name="Answer">The returned sample (its text is the reply).</param>
/// <param name="Usage">Tokens over every call the strategy made.</param>
/// <param name="Outcome">What the strategy decided and why.</param>
/// <param name="ModelId">The model that produced the samples, when known.</param>
public sealed record StrategyResult(Sample Answer, UsageDetails Usage, StrategyOutcome Outcome, string? ModelId)
{
    /// <summary>
    /// The result a chat client's <paramref name="response"/> stands for: its text as the answer, its usage, and the outcome
    /// it carries under <see cref="StrategyOutcome.PropertyKey"/>; a response of a plain model (no outcome) becomes an
    /// outcome with that one response as its only candidate. This is how a cascade hands any tier's reply to its test.
    /// </summary>
    public static StrategyResult FromResponse(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var usage = response.Usage ?? new UsageDetails();
        var outcome = response.GetStrategyOutcome();
        // The selected sample keeps its tokens and log-probabilities; the text is the response's, as the caller saw it.
        var answer = outcome?.Selected is { } selected
            ? (selected.Text == response.Text ? selected : selected with { Text = response.Text })
            : new Sample
            {
                Index = outcome?.SelectedIndex ?? 0,
                Text = response.Text,
                Tokens = null,
                FinishReason = response.FinishReason.ToFinishReason(),
                Seed = null,
                Usage = response.Usage?.ToTokenUsage(),
            };
        outcome ??= new StrategyOutcome { Reason = "a single response", SelectedIndex = 0, Candidates = [answer] };
        return new StrategyResult(answer, usage, outcome, response.ModelId);
    }

    /// <summary>This result as the <see cref="ChatResponse"/> a strategy middleware returns, the outcome under <see cref="StrategyOutcome.PropertyKey"/>.</summary>
    public ChatResponse ToResponse() =>
        new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer.Text))
        {
            ModelId = ModelId,
            FinishReason = Answer.FinishReason.ToChatFinishReason(),
            Usage = Usage,
            CreatedAt = DateTimeOffset.UtcNow,
            ResponseId = "slingshot-" + Guid.NewGuid().ToString("N")[..24],
        }.WithStrategyOutcome(Outcome);
}
