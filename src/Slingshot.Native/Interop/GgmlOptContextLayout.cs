namespace Slingshot.Native.Interop;

/// <summary>
/// Where the pinned build keeps four fields of its private <c>struct ggml_opt_context</c> (ggml/src/ggml-opt.cpp),
/// which the training callbacks receive by pointer. ggml-opt has no public way to (1) zero the gradient
/// accumulators between optimizer steps or (2) read and write the AdamW moments and step counter, yet llama.cpp's
/// training path needs the first to train correctly and a resumable trainer needs the second:
/// <list type="bullet">
/// <item>llama.cpp builds its training graphs anew for every ubatch (no static graphs), so the gradients are
/// accumulated into persistent tensors of <c>ctx_static</c> and the reset in <c>ggml_opt_alloc</c> runs on a graph
/// pointer that <c>ggml_opt_eval</c> has already set to NULL: without help, every step's gradient is the sum of
/// all gradients since the start.</item>
/// <item><c>iter</c> drives AdamW's bias correction; a resumed run must continue it, with the moments.</item>
/// </list>
/// The offsets are those of this exact build (x86-64, libstdc++, std::mt19937 of 5000 bytes before <c>iter</c>).
/// The loader refuses any other build, an ABI test compiles ggml-opt.cpp itself and compares them, and the
/// trainer checks the values it reads (optimizer type, accumulation period, step counter) before it writes.
/// </summary>
internal static class GgmlOptContextLayout
{
    /// <summary><c>struct ggml_context * ctx_static</c>: gradient accumulators and AdamW moments.</summary>
    public const int CtxStatic = 24;

    /// <summary><c>int64_t iter</c>: optimizer steps taken plus one.</summary>
    public const int Iter = 5240;

    /// <summary><c>int32_t opt_period</c>: ubatches per optimizer step (n_batch / n_ubatch).</summary>
    public const int OptPeriod = 5248;

    /// <summary><c>int32_t opt_i</c>: ubatches evaluated since the last optimizer step.</summary>
    public const int OptI = 5252;

    /// <summary><c>enum ggml_opt_optimizer_type optimizer</c>.</summary>
    public const int Optimizer = 5288;

    /// <summary>sizeof(struct ggml_opt_context).</summary>
    public const int Size = 5296;

    public static unsafe nint ReadContextStatic(nint optContext) => *(nint*)(optContext + CtxStatic);

    public static unsafe long ReadIter(nint optContext) => *(long*)(optContext + Iter);

    public static unsafe void WriteIter(nint optContext, long value) => *(long*)(optContext + Iter) = value;

    public static unsafe int ReadOptPeriod(nint optContext) => *(int*)(optContext + OptPeriod);

    public static unsafe int ReadOptI(nint optContext) => *(int*)(optContext + OptI);

    public static unsafe int ReadOptimizer(nint optContext) => *(int*)(optContext + Optimizer);
}
