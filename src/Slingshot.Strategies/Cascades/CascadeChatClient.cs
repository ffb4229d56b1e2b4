using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Cascades;

/// <summary>
/// A cascade (FrugalGPT / AutoMix style): the inner client answers first; while a tier's escalation test finds
/// its answer not good enough, the request goes on to the next tier (any number of them, cheapest first). The
/// response is the first kept tier's (or the last tier's); its usage is the sum of every call, and its
/// <see cref="StrategyOutcome"/> is the kept tier's (when that tier is a strategy) with <see cref="StrategyOutcome.Attempts"/>
/// listing each attempt with its model, tokens, cost, latency, score and why it escalated or stopped. A tier may itself be
/// a cascade: its attempts are listed in place.
/// </summary>
/// <remarks>Each tier is asked through its own <see cref="IChatClient"/>, and its test judges the tier's typed result
/// (<see cref="StrategyResult.FromResponse"/>).</remarks>
public sealed class CascadeChatClient : StrategyChatClient, IStrategy
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
    public override IStrategy Strategy => this;

    /// <inheritdoc />
    /// <remarks>What every tier's responses report, since any of them may answer.</remarks>
    protected override ConfidenceSignals? Signals =>
        _nextTiers.Aggregate(InnerClient.GetService<ConfidenceSignals>(), (signals, tier) => signals?.And(tier.Client.GetService<ConfidenceSignals>()));

    /// <inheritdoc />
    public async Task<StrategyResult> AnswerAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        StrategyResult.FromResponse(await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var attempts = new List<CascadeAttempt>();
        var usage = new UsageDetails();
        var tierCount = _nextTiers.Count + 1;
        for (var tier = 0; ; tier++)
        {
            var settings = tier == 0 ? _firstTier : _nextTiers[tier - 1].Options;
            var clock = Stopwatch.StartNew();
            var client = tier == 0 ? InnerClient : _nextTiers[tier - 1].Client;
            var response = await client.GetResponseAsync(conversation, tier == 0 ? options : options?.Clone(), cancellationToken).ConfigureAwait(false);
            var tierOutcome = response.GetStrategyOutcome();
            var decision = settings.EscalateWhen is { } test
                ? await test.DecideAsync(conversation, StrategyResult.FromResponse(response), cancellationToken).ConfigureAwait(false)
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
            AddAttempts(attempts, tierOutcome?.Attempts ?? [], attempt);
            if (!escalate)
            {
                var outcome = tierOutcome ?? new StrategyOutcome { Reason = $"{attempt.Model}: {attempt.Decision}" };
                response.Usage = usage;
                return response.WithStrategyOutcome(outcome with { Attempts = attempts });
            }
        }
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

    /// <summary>
    /// Adds a tier's attempt, or when the tier was itself a cascade its own attempts in place (their costs and
    /// scores are its tiers'); the nested cascade's returned attempt takes this tier's escalation, if any.
    /// </summary>
    private static void AddAttempts(List<CascadeAttempt> attempts, IReadOnlyList<CascadeAttempt> nested, CascadeAttempt attempt)
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
