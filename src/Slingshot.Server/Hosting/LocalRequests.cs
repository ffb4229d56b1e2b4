using Slingshot.Server.OpenAi;

namespace Slingshot.Server.Hosting;

/// <summary>Engine requests for a local model, as the endpoints build them.</summary>
internal static class LocalRequests
{
    /// <summary>
    /// Applies the server's default max_tokens when the client gave none, cut to what fits the context beside the
    /// prompt: without a cap a request would reserve the whole context and run alone; with the plain default, a
    /// long prompt in a small context would be refused although it fits.
    /// </summary>
    public static GenerationRequest FitDefaultMaxTokens(ServedModel model, GenerationRequest generation, CompletionRequest request)
    {
        if (request.MaxTokensGiven || model.Engine is not { } engine || generation.Prompt is not { } prompt)
        {
            return generation;
        }
        var promptTokens = engine.Model.Vocabulary.Tokenize(prompt, generation.AddSpecialTokens, generation.ParseSpecialTokens).Length;
        var perSample = (engine.SequenceContextSize - promptTokens) / (engine.SharedKvCache ? generation.SampleCount : 1);
        return perSample < 1 ? generation : generation with { MaxTokens = Math.Min(generation.MaxTokens ?? int.MaxValue, perSample) };
    }
}
