using System.Runtime.InteropServices;
using Slingshot.Native.Handles;

namespace Slingshot.Native.Interop;

// Embedding mode: a context created with llama_context_params.embeddings = true and a pooling type outputs one
// pooled vector per sequence instead of (or beside) logits.
internal static unsafe partial class LlamaNative
{
    /// <summary>The pooling type the context actually uses (the model's when the parameters left it unspecified).</summary>
    [LibraryImport(Llama)]
    public static partial LlamaPoolingType llama_pooling_type(SafeLlamaContextHandle context);

    /// <summary>Switches embedding output on or off for later decodes.</summary>
    [LibraryImport(Llama)]
    public static partial void llama_set_embeddings(SafeLlamaContextHandle context, [MarshalAs(UnmanagedType.U1)] bool embeddings);

    /// <summary>
    /// The pooled embedding (llama_model_n_embd_out floats) of a sequence after the last decode; NULL when the pooling
    /// type is NONE or the sequence was not in the batch. Owned by the context, valid until the next decode.
    /// </summary>
    [LibraryImport(Llama)]
    public static partial float* llama_get_embeddings_seq(SafeLlamaContextHandle context, LlamaSeqId seqId);

    /// <summary>The embedding of the i-th output token of the last batch (pooling NONE); NULL for an invalid index.</summary>
    [LibraryImport(Llama)]
    public static partial float* llama_get_embeddings_ith(SafeLlamaContextHandle context, int i);

    /// <summary>Width of the model's output embeddings (what a pooled embedding holds).</summary>
    [LibraryImport(Llama)]
    public static partial int llama_model_n_embd_out(SafeLlamaModelHandle model);
}

/// <summary>llama_pooling_type.</summary>
internal enum LlamaPoolingType
{
    Unspecified = -1,
    None = 0,
    Mean = 1,
    Cls = 2,
    Last = 3,
    Rank = 4,
}
