using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Cascades;

/// <summary>
/// A cascade (FrugalGPT / AutoMix style): the inner client answers first; while a tier's escalation test finds
/// its answer not good enough, the request goes on to the next tier (any number of them, cheapest first). The
/// response is the first kept tier's (or the last tier's); its usage is the sum of every call, and
/// <see cref="StrategyResponseProperties.Attempts"/> lists each attempt with its model, tokens, cost, latency,
/// score and why it escalated or stopped. A tier may itself be a cascade: its attempts are listed in place.
/// </summary>
public sealed class CascadeChatClient : DelegatingChatClient
{
    private readonly CascadeTierOptions _firstTier;
    private readonly IReadOnlyList<CascadeTier> _nextTiers;

    /// <summary>Creates a cascade whose first tier is <paramref name="innerClient"/>, treated as <paramref name="firstTier"/> says.</summary>
    /// <param name="innerClient">The first (cheapest) tier.</param>
    /// <param name="firstTier">Its name, price and escalation test.</param>
    /// <param name="nextTiers">The tiers asked in order when the ones before escalate; at least one.</param>
    public CascadeChatClient(IChatClient innerClient, CascadeTierOptions firstTier, IEnumerable<CascadeTier> nextTiers)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(firstTier);
        ArgumentNullException.ThrowIfNull(nextTiers);
        _firstTier = firstTier;
        _nextTiers = [.. nextTiers];
        if (_nextTiers.Count == 0)
        {
            throw new ArgumentException("A cascade needs at least one tier after the first.", nameof(nextTiers));
        }
        if (_nextTiers.Any(t => t is null || t.Client is null || t.Options is null))
        {
            throw new ArgumentException("Every cascade tier needs a client and options.", nameof(nextTiers));
        }
        // The last tier's test only reports a score (there is nowhere to escalate to); the others decide.
        ThrowIfUnscorable(innerClient, firstTier, 0);
        for (var i = 0; i < _nextTiers.Count - 1; i++)
        {
            ThrowIfUnscorable(_nextTiers[i].Client, _nextTiers[i].Options, i + 1);
        }
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var attempts = new List<CascadeAttempt>();
        var usage = new UsageDetails();
        var tierCount = _nextTiers.Count + 1;
        for (var tier = 0; ; tier++)
        {
            var settings = tier == 0 ? _firstTier : _nextTiers[tier - 1].Options;
            var clock = Stopwatch.StartNew();
            var response = tier == 0
                ? await base.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false)
                : await _nextTiers[tier - 1].Client.GetResponseAsync(conversation, options?.Clone(), cancellationToken).ConfigureAwait(false);
            var decision = settings.EscalateWhen is { } test
                ? await test.DecideAsync(conversation, response, cancellationToken).ConfigureAwait(false)
                : null;
            var isLast = tier == tierCount - 1;
            var escalate = decision?.Escalate == true && !isLast;
            if (response.Usage is { } tierUsage)
            {
                usage.Add(tierUsage);
            }
            var attempt = new CascadeAttempt(settings.Name ?? response.ModelId ?? $"tier {tier + 1}", response.Usage, clock.Elapsed,
                escalate ? decision!.Reason : null)
            {
                Tier = tier,
                CostUsd = settings.Price?.Cost(response.Usage),
                Score = decision?.Score,
                Decision = decision switch
                {
                    null => "no escalation test",
                    { Escalate: true } when isLast => $"{decision.Reason}; no tier left",
                    _ => decision.Reason,
                },
            };
            AddAttempts(attempts, Attempts(response), attempt);
            if (!escalate)
            {
                response.AdditionalProperties ??= [];
                response.AdditionalProperties[StrategyResponseProperties.Attempts] = attempts;
                response.Usage = usage;
                return response;
            }
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The escalation test needs a tier's whole answer, so the response is computed, then streamed.
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Answers <see cref="ConfidenceSignals"/> with what every tier's responses report, since any of them may answer; other
    /// services come from the first tier.
    /// </remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceKey is null && serviceType == typeof(ConfidenceSignals))
        {
            return _nextTiers.Aggregate(InnerClient.GetService<ConfidenceSignals>(),
                (signals, tier) => signals?.And(tier.Client.GetService<ConfidenceSignals>()));
        }
        return base.GetService(serviceType, serviceKey);
    }

    /// <summary>A tier whose test can never score its responses would always escalate: refuse it while the cascade is built.</summary>
    private static void ThrowIfUnscorable(IChatClient tier, CascadeTierOptions options, int index)
    {
        if (options.EscalateWhen is { } test && test.CannotScore(tier) is { } why)
        {
            var name = options.Name is { } named ? $" ('{named}')" : "";
            throw new ArgumentException($"Cascade tier {index + 1}{name} is tested by '{test.Name}', but {why}.");
        }
    }

    private static List<CascadeAttempt> Attempts(ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(StrategyResponseProperties.Attempts, out var value) == true && value is IEnumerable<CascadeAttempt> list
            ? [.. list]
            : [];

    /// <summary>
    /// Adds a tier's attempt, or when the tier was itself a cascade its own attempts in place (their costs and
    /// scores are its tiers'); the nested cascade's returned attempt takes this tier's escalation, if any.
    /// </summary>
    private static void AddAttempts(List<CascadeAttempt> attempts, List<CascadeAttempt> nested, CascadeAttempt attempt)
    {
        if (nested.Count == 0)
        {
            attempts.Add(attempt);
            return;
        }
        var offset = attempts.Count;
        for (var i = 0; i < nested.Count; i++)
        {
            var inner = nested[i] with { Tier = offset + i };
            if (i == nested.Count - 1 && attempt.EscalatedBecause is { } reason)
            {
                inner = inner with { EscalatedBecause = reason, Score = attempt.Score, Decision = attempt.Decision };
            }
            attempts.Add(inner);
        }
    }
}
