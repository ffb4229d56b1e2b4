using Microsoft.Extensions.AI;
using Slingshot.Embeddings;
using Slingshot.Server.Configuration;
using Slingshot.Strategies;
using Slingshot.Strategies.Routing;

namespace Slingshot.Server.Hosting;

/// <summary>Builds the "router" virtual model: a trained router choosing, per request, the small model or the large one.</summary>
internal static class RouterVirtualModel
{
    /// <summary>
    /// The router over <paramref name="small"/> and the served model named by <see cref="VirtualModelOptions.Fallback"/>.
    /// <paramref name="owned"/> is what the served model must dispose (the embedding model, when the router's features
    /// need one); it embeds with one thread so routing never competes with decoding for the cores.
    /// </summary>
    public static IChatClient Create(VirtualModelOptions options, IChatClient small, Func<string, ServedModel?> find, out IDisposable? owned)
    {
        owned = null;
        if (string.IsNullOrWhiteSpace(options.RouterPath))
        {
            throw new SlingshotException($"Router '{options.Name}' needs a RouterPath (a file written by 'slingshot route train').");
        }
        if (options.Fallback is not { } largeName || find(largeName) is not { } large)
        {
            throw new SlingshotException($"Router '{options.Name}' needs a Fallback naming the large model, a configured model or endpoint (got '{options.Fallback}').");
        }
        PromptRouter router;
        try
        {
            router = PromptRouter.Load(options.RouterPath);
        }
        catch (InvalidDataException ex)
        {
            throw new SlingshotException($"Router '{options.Name}': {ex.Message}", ex);
        }
        LlamaEmbeddingGenerator? embeddings = null;
        if (router.Featurizer.Options.EmbeddingModel is { } modelPath)
        {
            embeddings = LlamaEmbeddingGenerator.Load(modelPath, new LlamaEmbeddingOptions { Threads = 1, MaxTokens = router.Featurizer.Options.EmbeddingMaxTokens });
            if (embeddings.Dimensions != router.Featurizer.Options.EmbeddingDimensions)
            {
                embeddings.Dispose();
                throw new SlingshotException($"Router '{options.Name}' was trained on {router.Featurizer.Options.EmbeddingDimensions}-dimensional embeddings; {modelPath} gives {embeddings.Dimensions}.");
            }
        }
        owned = embeddings;
        return new ChatClientBuilder(small).UseRouter(large.Client, router, embeddings).Build();
    }
}
