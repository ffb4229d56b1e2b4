using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot.Generation;

/// <summary>Builds one llama.cpp sampler chain per sample from <see cref="SamplerSettings"/>.</summary>
internal static class SamplerChainFactory
{
    public static SafeLlamaSamplerHandle Create(SamplerSettings settings, Vocabulary vocabulary, uint seed, int contextSize)
    {
        var chain = SafeLlamaSamplerHandle.CreateChain();
        try
        {
            if (settings.Grammar is { Length: > 0 } grammar)
            {
                var sampler = settings.GrammarTriggers is { } triggers
                    ? triggers.CreateSampler(vocabulary, grammar)
                    : LlamaNative.llama_sampler_init_grammar(vocabulary.NativeVocab, grammar, "root");
                if (sampler != 0)
                {
                    foreach (var token in settings.GrammarPrefill ?? [])
                    {
                        LlamaNative.llama_sampler_accept_unowned(sampler, new LlamaToken(token));
                    }
                }
                chain.Add(sampler, "grammar (it does not parse)");
            }
            if (settings.HasPenalties)
            {
                // llama.cpp reads -1 as 0 (penalties off) and allocates a ring of the window's size: use the context.
                var window = settings.PenaltyLastN < 0 ? contextSize : Math.Min(settings.PenaltyLastN, contextSize);
                chain.Add(LlamaNative.llama_sampler_init_penalties(vocabulary.Count, window,
                    settings.RepeatPenalty, settings.FrequencyPenalty, settings.PresencePenalty), "penalties");
            }
            if (settings.IsGreedy)
            {
                chain.Add(LlamaNative.llama_sampler_init_greedy(), "greedy");
                return chain;
            }
            if (settings.TopK > 0)
            {
                chain.Add(LlamaNative.llama_sampler_init_top_k(settings.TopK), "top-k");
            }
            if (settings.TopP < 1)
            {
                chain.Add(LlamaNative.llama_sampler_init_top_p(settings.TopP, 1), "top-p");
            }
            if (settings.MinP > 0)
            {
                chain.Add(LlamaNative.llama_sampler_init_min_p(settings.MinP, 1), "min-p");
            }
            chain.Add(LlamaNative.llama_sampler_init_temp(settings.Temperature), "temperature");
            chain.Add(LlamaNative.llama_sampler_init_dist(seed), "dist");
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }
}
