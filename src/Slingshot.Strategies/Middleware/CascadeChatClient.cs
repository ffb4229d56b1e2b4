using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Slingshot.Strategies;

/// <summary>One tier a cascade tried.</summary>
/// <param name="Model">The model id that answered (or the tier's position when it reports none).</param>
/// <param name="Usage">Its tokens.</param>
/// <param name="Latency">Its wall time.</param>
/// <param name="EscalatedBecause">Why the cascade moved on from it; null for the tier whose answer was returned.</param>
public sealed record CascadeAttempt(string Model, UsageDetails? Usage, TimeSpan Latency, string? EscalatedBecause);

/// <summary>
/// A two-tier cascade (FrugalGPT / AutoMix style): the inner client answers first; when
/// <paramref name="escalateWhen"/> finds a reason in its response (for example low agreement among its
/// samples), the request goes to the next client instead. The response is the last tier's, its usage the sum
/// of every tier's, and <see cref="StrategyResponseProperties.Attempts"/> lists each attempt with its model,
/// tokens, latency and why it escalated. Tiers compose: a cascade can be the next client of another.
/// </summary>
public sealed class CascadeChatClient(IChatClient innerClient, IChatClient next, Func<ChatResponse, string?> escalateWhen)
    : DelegatingChatClient(innerClient)
{
    private readonly IChatClient _next = next ?? throw new ArgumentNullException(nameof(next));
    private readonly Func<ChatResponse, string?> _escalateWhen = escalateWhen ?? throw new ArgumentNullException(nameof(escalateWhen));

    /// <summary>Escalates when a voting tier's agreement (<see cref="StrategyResponseProperties.Agreement"/>) is below <paramref name="threshold"/>.</summary>
    public static Func<ChatResponse, string?> AgreementBelow(double threshold) => response =>
    {
        var agreement = response.AdditionalProperties?.TryGetValue(StrategyResponseProperties.Agreement, out var value) == true
            ? Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        return agreement < threshold
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"agreement {agreement:0.##} below {threshold:0.##}")
            : null;
    };

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var clock = Stopwatch.StartNew();
        var first = await base.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        var firstLatency = clock.Elapsed;
        var reason = _escalateWhen(first);
        var attempts = Attempts(first).ToList();
        if (reason is null)
        {
            attempts.Add(new CascadeAttempt(first.ModelId ?? "tier 1", first.Usage, firstLatency, null));
            return Annotate(first, attempts, first.Usage);
        }
        attempts.Add(new CascadeAttempt(first.ModelId ?? "tier 1", first.Usage, firstLatency, reason));
        clock.Restart();
        var second = await _next.GetResponseAsync(conversation, options?.Clone(), cancellationToken).ConfigureAwait(false);
        var nested = Attempts(second).ToList();
        attempts.AddRange(nested);
        if (nested.Count == 0)
        {
            attempts.Add(new CascadeAttempt(second.ModelId ?? "tier 2", second.Usage, clock.Elapsed, null));
        }
        var usage = new UsageDetails();
        if (first.Usage is { } u1)
        {
            usage.Add(u1);
        }
        if (second.Usage is { } u2)
        {
            usage.Add(u2);
        }
        return Annotate(second, attempts, usage);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The escalation test needs the first tier's whole answer, so the response is computed, then streamed.
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    private static IEnumerable<CascadeAttempt> Attempts(ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(StrategyResponseProperties.Attempts, out var value) == true && value is IEnumerable<CascadeAttempt> list
            ? list
            : [];

    private static ChatResponse Annotate(ChatResponse response, List<CascadeAttempt> attempts, UsageDetails? usage)
    {
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[StrategyResponseProperties.Attempts] = attempts;
        response.Usage = usage;
        return response;
    }
}
