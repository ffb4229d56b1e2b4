using System.Runtime.InteropServices;
using Slingshot.Native.Handles;

namespace Slingshot.Native.Interop;

// A sampler added to a chain is owned by the chain (llama_sampler_chain_add takes ownership); only the
// chain is ever freed.
internal static unsafe partial class LlamaNative
{
    [LibraryImport(Llama)]
    public static partial nint llama_sampler_chain_init(LlamaSamplerChainParams parameters);

    [LibraryImport(Llama)]
    public static partial void llama_sampler_chain_add(SafeLlamaSamplerHandle chain, nint sampler);

    [LibraryImport(Llama)]
    public static partial int llama_sampler_chain_n(SafeLlamaSamplerHandle chain);

    [LibraryImport(Llama)]
    public static partial void llama_sampler_free(nint sampler);

    [LibraryImport(Llama)]
    public static partial void llama_sampler_reset(SafeLlamaSamplerHandle sampler);

    [LibraryImport(Llama)]
    public static partial void llama_sampler_accept(SafeLlamaSamplerHandle sampler, LlamaToken token);

    [LibraryImport(Llama)]
    public static partial void llama_sampler_apply(SafeLlamaSamplerHandle sampler, LlamaTokenDataArray* candidates);

    /// <summary>llama_sampler_accept on a sampler not yet in a chain (one the caller still owns).</summary>
    [LibraryImport(Llama, EntryPoint = "llama_sampler_accept")]
    public static partial void llama_sampler_accept_unowned(nint sampler, LlamaToken token);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_greedy();

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_dist(uint seed);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_top_k(int k);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_top_p(float p, nuint minKeep);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_min_p(float p, nuint minKeep);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_temp(float t);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_penalties(int nVocab, int penaltyLastN, float penaltyRepeat, float penaltyFreq, float penaltyPresent);

    /// <summary>Returns NULL when the grammar does not parse.</summary>
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint llama_sampler_init_grammar(nint vocab, string grammar, string root);

    /// <summary>A grammar that applies only from the first match of a trigger pattern (fed from its first group) or
    /// trigger token on; returns NULL when the grammar or a pattern does not parse.</summary>
    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_grammar_lazy_patterns(nint vocab, byte* grammar, byte* root,
        byte** triggerPatterns, nuint patternCount, int* triggerTokens, nuint tokenCount);
}
