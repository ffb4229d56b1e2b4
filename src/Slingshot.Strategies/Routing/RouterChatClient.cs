using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Slingshot.Strategies.Routing;

namespace Slingshot.Strategies;

/// <summary>
/// A learned router (RouteLLM style) as middleware: before any model is called, a classifier scores the prompt
/// (P(the small tier fails)) and the request goes to the inner (small) client when the score is below the
/// threshold, to <c>large</c> otherwise. Exactly one model is called per request, unlike a cascade.
/// </summary>
/// <remarks>
/// The response's <see cref="StrategyOutcome"/> is the chosen tier's (when that tier is a strategy) with
/// <see cref="StrategyOutcome.Route"/> ("small" or "large"), <see cref="StrategyOutcome.RouterScore"/> and the router's
/// reason; when streaming it rides on the first update, since the route is known before any token (and on any update of
/// the tier that carries the tier's own outcome). When the router's features include an embedding, <c>embeddings</c> must be the
/// generator of the model named in the router file.
/// </remarks>
public sealed class RouterChatClient : StrategyChatClient, IStrategy
{
    private readonly IChatClient _large;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embeddings;

    /// <summary>Routes between <paramref name="small"/> (the inner client) and <paramref name="large"/>.</summary>
    public RouterChatClient(IChatClient small, IChatClient large, PromptRouter router, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null)
        : base(small)
    {
        ArgumentNullException.ThrowIfNull(large);
        ArgumentNullException.ThrowIfNull(router);
        if (router.Featurizer.NeedsEmbedding && embeddings is null)
        {
            throw new ArgumentException(
                $"The router's features include an embedding from {router.Featurizer.Options.EmbeddingModel}; give an embedding generator.", nameof(embeddings));
        }
        _large = large;
        _embeddings = embeddings;
        Router = router;
    }

    /// <summary>The router.</summary>
    public PromptRouter Router { get; }

    /// <summary>Scores the prompt of <paramref name="messages"/> and decides the tier, without calling a model.</summary>
    public async Task<RouteDecision> DecideAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        var prompt = PromptRouter.PromptText(messages);
        if (_embeddings is null || !Router.Featurizer.NeedsEmbedding)
        {
            return Router.Route(prompt);
        }
        var embedding = await _embeddings.GenerateAsync(prompt, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Router.Route(prompt, embedding.Vector.Span);
    }

    /// <inheritdoc />
    public override IStrategy Strategy => this;

    /// <inheritdoc />
    /// <remarks>What both tiers' responses report, since either may answer.</remarks>
    protected override ConfidenceSignals? Signals => InnerClient.GetService<ConfidenceSignals>()?.And(_large.GetService<ConfidenceSignals>());

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
        var decision = await DecideAsync(conversation, cancellationToken).ConfigureAwait(false);
        var response = await Tier(decision).GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        return response.WithStrategyOutcome(Routed(response.GetStrategyOutcome(), decision));
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var decision = await DecideAsync(conversation, cancellationToken).ConfigureAwait(false);
        var first = true;
        await foreach (var update in Tier(decision).GetStreamingResponseAsync(conversation, options, cancellationToken)
            .WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // The route goes on the first update and on any that carries the tier's own outcome, so merging the updates
            // into one response keeps it whichever outcome comes last.
            var tierOutcome = update.GetStrategyOutcome();
            if (first || tierOutcome is not null)
            {
                update.WithStrategyOutcome(Routed(tierOutcome, decision));
                first = false;
            }
            yield return update;
        }
    }

    /// <summary>"small" or "large", the value of <see cref="StrategyOutcome.Route"/>.</summary>
    public static string RouteName(RouteTier tier) => tier == RouteTier.Large ? "large" : "small";

    private IChatClient Tier(RouteDecision decision) => decision.Tier == RouteTier.Large ? _large : InnerClient;

    private static StrategyOutcome Routed(StrategyOutcome? tierOutcome, RouteDecision decision)
    {
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"router score {decision.Score:0.###} {(decision.Tier == RouteTier.Large ? "at or above" : "below")} threshold {decision.Threshold:0.###}");
        return (tierOutcome ?? new StrategyOutcome { Reason = reason }) with { Route = RouteName(decision.Tier), RouterScore = decision.Score, Reason = reason };
    }
}
