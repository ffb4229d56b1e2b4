using Slingshot.Gguf;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Speculative;

/// <summary>
/// Target and draft pairs for speculative tests. A generated model and the same seed with fewer layers share
/// token embeddings, output head and first layers (the writer gives each tensor its own random stream), so the
/// short model is a layer-truncated copy of the long one: a draft with realistic, imperfect acceptance.
/// </summary>
internal static class SpeculativeModels
{
    /// <summary>Four layers of the tiny shape, Q8_0.</summary>
    public static string Target => GeneratedModels.Get("tiny,layers=4", GgmlType.Q8_0);

    /// <summary>The first layer of <see cref="Target"/>.</summary>
    public static string Draft => GeneratedModels.Get("tiny,layers=1", GgmlType.Q8_0);

    public static LlamaEngine Engine(string path, SpeculativeOptions? speculative = null) =>
        LlamaEngine.Load(path, new EngineOptions { ContextSize = 512, MaxSequences = 4, Threads = 1, Speculative = speculative });

    public static GenerationRequest Greedy(string prompt, int maxTokens = 48) => new()
    {
        Prompt = prompt,
        MaxTokens = maxTokens,
        Sampling = SamplerSettings.Greedy,
        IgnoreEndOfGeneration = true,
    };
}
