using Microsoft.Extensions.AI;
using Slingshot.Strategies.Routing;

namespace Slingshot.Strategies;

/// <summary><see cref="ChatClientBuilder"/> extensions for <see cref="RouterChatClient"/>.</summary>
public static class RouterChatClientBuilderExtensions
{
    /// <summary>
    /// Sends each request either to the pipeline's inner client (the small model) or to <paramref name="large"/>, as the
    /// trained <paramref name="router"/> decides from the prompt before any model runs.
    /// </summary>
    public static ChatClientBuilder UseRouter(this ChatClientBuilder builder, IChatClient large, PromptRouter router,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(large);
        ArgumentNullException.ThrowIfNull(router);
        return builder.Use(inner => new RouterChatClient(inner, large, router, embeddings));
    }
}
