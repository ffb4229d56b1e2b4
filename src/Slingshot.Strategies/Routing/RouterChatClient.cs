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
/// The response sets <see cref="StrategyResponseProperties.Route"/> ("small" or "large") and
/// <see cref="StrategyResponseProperties.RouterScore"/>; when streaming they ride on the first update, since the
/// route is known before any token. When the router's features include an embedding, <c>embeddings</c> must be the
/// generator of the model named in the router file.
/// </remarks>
public sealed class RouterChatClient : DelegatingChatClient
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
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var decision = await DecideAsync(conversation, cancellationToken).ConfigureAwait(false);
        var response = decision.Tier == RouteTier.Large
            ? await _large.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false)
            : await base.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        response.AdditionalProperties ??= [];
        Annotate(response.AdditionalProperties, decision);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var decision = await DecideAsync(conversation, cancellationToken).ConfigureAwait(false);
        var updates = decision.Tier == RouteTier.Large
            ? _large.GetStreamingResponseAsync(conversation, options, cancellationToken)
            : base.GetStreamingResponseAsync(conversation, options, cancellationToken);
        var first = true;
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (first)
            {
                update.AdditionalProperties ??= [];
                Annotate(update.AdditionalProperties, decision);
                first = false;
            }
            yield return update;
        }
    }

    /// <summary>"small" or "large", the value of <see cref="StrategyResponseProperties.Route"/>.</summary>
    public static string RouteName(RouteTier tier) => tier == RouteTier.Large ? "large" : "small";

    private static void Annotate(AdditionalPropertiesDictionary properties, RouteDecision decision)
    {
        properties[StrategyResponseProperties.Route] = RouteName(decision.Tier);
        properties[StrategyResponseProperties.RouterScore] = decision.Score;
        properties[StrategyResponseProperties.Reason] = string.Create(CultureInfo.InvariantCulture,
            $"router score {decision.Score:0.###} {(decision.Tier == RouteTier.Large ? "at or above" : "below")} threshold {decision.Threshold:0.###}");
    }
}
