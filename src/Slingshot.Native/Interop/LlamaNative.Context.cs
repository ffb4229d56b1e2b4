using System.Runtime.InteropServices;
using Slingshot.Native.Handles;

namespace Slingshot.Native.Interop;

internal static unsafe partial class LlamaNative
{
    /// <summary>Returns NULL on failure; the reason is only in the log.</summary>
    [LibraryImport(Llama)]
    public static partial nint llama_init_from_model(SafeLlamaModelHandle model, LlamaContextParams parameters);

    [LibraryImport(Llama)]
    public static partial void llama_free(nint context);

    [LibraryImport(Llama)]
    public static partial uint llama_n_ctx(SafeLlamaContextHandle context);

    [LibraryImport(Llama)]
    public static partial uint llama_n_ctx_seq(SafeLlamaContextHandle context);

    [LibraryImport(Llama)]
    public static partial uint llama_n_batch(SafeLlamaContextHandle context);

    [LibraryImport(Llama)]
    public static partial uint llama_n_seq_max(SafeLlamaContextHandle context);

    [LibraryImport(Llama)]
    public static partial nint llama_get_memory(SafeLlamaContextHandle context);

    [LibraryImport(Llama)]
    public static partial int llama_decode(SafeLlamaContextHandle context, LlamaBatch batch);

    /// <summary>Logits of the i-th token of the last batch (index within the batch); NULL for invalid ids.</summary>
    [LibraryImport(Llama)]
    public static partial float* llama_get_logits_ith(SafeLlamaContextHandle context, int i);

    /// <summary>Makes the context compute on these thread pools (they must outlive it).</summary>
    [LibraryImport(Llama)]
    public static partial void llama_attach_threadpool(SafeLlamaContextHandle context, nint threadpool, nint threadpoolBatch);

    [LibraryImport(Llama)]
    public static partial void llama_set_n_threads(SafeLlamaContextHandle context, int nThreads, int nThreadsBatch);

    [LibraryImport(Llama)]
    public static partial LlamaPerfContextData llama_perf_context(SafeLlamaContextHandle context);

    [LibraryImport(Llama)]
    public static partial void llama_perf_context_reset(SafeLlamaContextHandle context);

    [LibraryImport(Llama)]
    public static partial int llama_set_adapters_lora(SafeLlamaContextHandle context, nint* adapters, nuint nAdapters, float* scales);

    [LibraryImport(Llama)]
    public static partial LlamaBatch llama_batch_init(int nTokens, int embd, int nSeqMax);

    [LibraryImport(Llama)]
    public static partial void llama_batch_free(LlamaBatch batch);

    [LibraryImport(Llama)]
    public static partial void llama_memory_clear(nint memory, [MarshalAs(UnmanagedType.U1)] bool data);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_memory_seq_rm(nint memory, LlamaSeqId seqId, LlamaPos p0, LlamaPos p1);

    [LibraryImport(Llama)]
    public static partial void llama_memory_seq_cp(nint memory, LlamaSeqId src, LlamaSeqId dst, LlamaPos p0, LlamaPos p1);

    [LibraryImport(Llama)]
    public static partial LlamaPos llama_memory_seq_pos_max(nint memory, LlamaSeqId seqId);
}
