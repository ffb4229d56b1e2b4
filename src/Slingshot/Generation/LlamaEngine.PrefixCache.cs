using Slingshot.Generation.Prefixes;
using Slingshot.Native;
using Slingshot.Native.Interop;

namespace Slingshot;

// How an engine sizes and builds its prefix cache for its KV layout.
public sealed partial class LlamaEngine
{
    /// <summary>llama.cpp's LLAMA_MAX_SEQ: sequence ids run from 0 to this minus one.</summary>
    private const int MaxSequenceIds = 256;

    /// <summary>
    /// Shortest prefix a split cache reuses: reusing means copying a whole stream, which costs more than prefilling
    /// a handful of tokens (a BOS and a chat template's header).
    /// </summary>
    private const int MinimumStreamReuse = 16;

    /// <summary>Whether requests reuse the cells of cached prompt prefixes (see <see cref="EngineOptions.PrefixCache"/>).</summary>
    public bool PrefixCache { get; }

    /// <summary>llama_ftype values of unquantized weights: ALL_F32, MOSTLY_F16, MOSTLY_BF16.</summary>
    private static readonly int[] UnquantizedFileTypes = [0, 1, 32];

    /// <summary>LLAMA_FTYPE_GUESSED: set when the file names no type and llama.cpp guessed it from the tensors.</summary>
    private const int GuessedFileType = 1024;

    private static bool CanCachePrefixes(LlamaModel model, EngineOptions options) =>
        (options.PrefixCache ?? !UnquantizedFileTypes.Contains(LlamaNative.llama_model_ftype(model.Handle) & ~GuessedFileType))
        && options.PrefixCacheTokens != 0 && options.MaxSequences < MaxSequenceIds
        // A sliding-window cache hands cells outside the window to new tokens, cached prefixes' cells included; a
        // recurrent state holds no per-position cells to share.
        && LlamaNative.llama_model_n_swa(model.Handle) == 0
        && !LlamaNative.llama_model_is_recurrent(model.Handle) && !LlamaNative.llama_model_is_hybrid(model.Handle);

    /// <summary>
    /// Split layout: how many streams to reserve for cached prompts, each of <paramref name="share"/> cells, the
    /// n_ctx_seq llama.cpp gives every sequence of a context of <paramref name="contextSize"/> cells.
    /// </summary>
    private static int CacheStreams(EngineOptions options, int contextSize, out int share)
    {
        share = (contextSize / options.MaxSequences + 255) / 256 * 256;
        var wanted = options.PrefixCacheTokens is { } tokens ? (tokens + share - 1) / share : options.MaxSequences;
        return Math.Min(wanted, MaxSequenceIds - options.MaxSequences);
    }

    /// <summary>
    /// A shared cache uses sequence ids above the decode loop's: llama.cpp's unified KV cache accepts every id below
    /// LLAMA_MAX_SEQ in llama_memory_seq_cp and _seq_rm, whatever n_seq_max says. A split one uses the streams
    /// reserved beside the sequences' own.
    /// </summary>
    private PrefixCache CreatePrefixCache(EngineOptions options, int cacheStreams)
    {
        if (!PrefixCache)
        {
            return new NoPrefixCache(Statistics);
        }
        var kv = new LlamaKvSequences(LlamaNative.llama_get_memory(_context));
        return SharedKvCache
            ? new SharedPrefixCache(kv, Enumerable.Range(MaxSequences, SharedCachePrompts(options)), options.PrefixCacheTokens ?? ContextSize, Statistics)
            : new StreamPrefixCache(kv, Enumerable.Range(MaxSequences, cacheStreams), MinimumStreamReuse, Statistics);
    }

    /// <summary>
    /// Shared layout: how many prompts the cache keeps (a sequence id each). By default as many as there are sequences,
    /// as the split layout keeps and llama-server's slots do: every kept cell widens llama.cpp's attention view (the
    /// cells up to the highest one in use, which every decode step scans for every sequence), and without a bound the
    /// cache grows into all the cells running requests leave free. A chat leaves the tail of each answer behind
    /// whenever the next turn resends it tokenized differently; those tails are the least recently used prompts, so
    /// the bound drops them first and keeps the conversations. With <see cref="EngineOptions.PrefixCacheTokens"/>
    /// set, the token limit alone bounds the cache.
    /// </summary>
    private int SharedCachePrompts(EngineOptions options) =>
        options.PrefixCacheTokens is null ? Math.Min(MaxSequences, MaxSequenceIds - MaxSequences) : MaxSequenceIds - MaxSequences;
}
