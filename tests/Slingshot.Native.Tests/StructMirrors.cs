using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Slingshot.Native.Interop;

namespace Slingshot.Native.Tests;

/// <summary>One field of a mirrored struct: its C name, the C# field it maps to, and where the C# side puts it.</summary>
internal sealed record FieldMirror(string CName, string CsName, int Offset, int Size);

/// <summary>A C# struct that mirrors a llama.h struct, measured on the C# side.</summary>
internal sealed record StructMirror(string CName, Type Type, int Size, int Alignment, IReadOnlyList<FieldMirror> Fields)
{
    public FieldMirror Field(string cName) => Fields.Single(f => f.CName == cName);
}

/// <summary>A <c>*_default_params()</c> function, called through the C# binding; returns the raw bytes of the result.</summary>
internal sealed record DefaultParamsMirror(string Function, string CStruct, Func<byte[]> Call);

/// <summary>
/// The explicit table from C field names to C# fields. The C# names go through nameof, so renaming a C# field
/// breaks the build; a C name that the header lacks breaks the C probe's compile; a field on either side that
/// the table leaves out fails <c>StructLayoutTests</c>.
/// </summary>
internal static unsafe class StructMirrors
{
    public static readonly IReadOnlyList<StructMirror> All = [ModelParams(), ContextParams(), Batch(), ModelQuantizeParams(),
        SamplerChainParams(), TokenData(), TokenDataArray(), ChatMessage(), PerfContextData(), ThreadpoolParams(),
        OptParams(), OptimizerParams(), Tensor()];

    public static readonly IReadOnlyList<DefaultParamsMirror> Defaults =
    [
        new("llama_model_default_params", "llama_model_params", () => Bytes(LlamaNative.llama_model_default_params())),
        new("llama_context_default_params", "llama_context_params", () => Bytes(LlamaNative.llama_context_default_params())),
        new("llama_sampler_chain_default_params", "llama_sampler_chain_params", () => Bytes(LlamaNative.llama_sampler_chain_default_params())),
        new("llama_model_quantize_default_params", "llama_model_quantize_params", () => Bytes(LlamaNative.llama_model_quantize_default_params())),
    ];

    /// <summary>The id typedefs, mirrored as one-int record structs.</summary>
    public static readonly IReadOnlyList<(string CName, Type Type, int Size)> Scalars =
    [
        ("llama_token", typeof(LlamaToken), sizeof(LlamaToken)),
        ("llama_pos", typeof(LlamaPos), sizeof(LlamaPos)),
        ("llama_seq_id", typeof(LlamaSeqId), sizeof(LlamaSeqId)),
    ];

    public static StructMirror Get(string cStruct) => All.Single(m => m.CName == cStruct);

    private static StructMirror ModelParams()
    {
        LlamaModelParams s = default;
        var b = (byte*)&s;
        return Mirror<LlamaModelParams>("llama_model_params",
            ("devices", nameof(s.Devices), (byte*)&s.Devices - b),
            ("tensor_buft_overrides", nameof(s.TensorBuftOverrides), (byte*)&s.TensorBuftOverrides - b),
            ("n_gpu_layers", nameof(s.NGpuLayers), (byte*)&s.NGpuLayers - b),
            ("split_mode", nameof(s.SplitMode), (byte*)&s.SplitMode - b),
            ("load_mode", nameof(s.LoadMode), (byte*)&s.LoadMode - b),
            ("lazy_mode", nameof(s.LazyMode), (byte*)&s.LazyMode - b),
            ("main_gpu", nameof(s.MainGpu), (byte*)&s.MainGpu - b),
            ("tensor_split", nameof(s.TensorSplit), (byte*)&s.TensorSplit - b),
            ("progress_callback", nameof(s.ProgressCallback), (byte*)&s.ProgressCallback - b),
            ("progress_callback_user_data", nameof(s.ProgressCallbackUserData), (byte*)&s.ProgressCallbackUserData - b),
            ("kv_overrides", nameof(s.KvOverrides), (byte*)&s.KvOverrides - b),
            ("vocab_only", nameof(s.VocabOnly), (byte*)&s.VocabOnly - b),
            ("check_tensors", nameof(s.CheckTensors), (byte*)&s.CheckTensors - b),
            ("use_extra_bufts", nameof(s.UseExtraBufts), (byte*)&s.UseExtraBufts - b),
            ("no_host", nameof(s.NoHost), (byte*)&s.NoHost - b),
            ("no_alloc", nameof(s.NoAlloc), (byte*)&s.NoAlloc - b),
            ("load_mtp", nameof(s.LoadMtp), (byte*)&s.LoadMtp - b));
    }

    private static StructMirror ContextParams()
    {
        LlamaContextParams s = default;
        var b = (byte*)&s;
        return Mirror<LlamaContextParams>("llama_context_params",
            ("n_ctx", nameof(s.NCtx), (byte*)&s.NCtx - b),
            ("n_batch", nameof(s.NBatch), (byte*)&s.NBatch - b),
            ("n_ubatch", nameof(s.NUbatch), (byte*)&s.NUbatch - b),
            ("n_seq_max", nameof(s.NSeqMax), (byte*)&s.NSeqMax - b),
            ("n_rs_seq", nameof(s.NRsSeq), (byte*)&s.NRsSeq - b),
            ("n_outputs_max", nameof(s.NOutputsMax), (byte*)&s.NOutputsMax - b),
            ("n_outputs_max_per_seq", nameof(s.NOutputsMaxPerSeq), (byte*)&s.NOutputsMaxPerSeq - b),
            ("n_threads", nameof(s.NThreads), (byte*)&s.NThreads - b),
            ("n_threads_batch", nameof(s.NThreadsBatch), (byte*)&s.NThreadsBatch - b),
            ("ctx_type", nameof(s.CtxType), (byte*)&s.CtxType - b),
            ("rope_scaling_type", nameof(s.RopeScalingType), (byte*)&s.RopeScalingType - b),
            ("pooling_type", nameof(s.PoolingType), (byte*)&s.PoolingType - b),
            ("attention_type", nameof(s.AttentionType), (byte*)&s.AttentionType - b),
            ("flash_attn_type", nameof(s.FlashAttnType), (byte*)&s.FlashAttnType - b),
            ("rope_freq_base", nameof(s.RopeFreqBase), (byte*)&s.RopeFreqBase - b),
            ("rope_freq_scale", nameof(s.RopeFreqScale), (byte*)&s.RopeFreqScale - b),
            ("yarn_ext_factor", nameof(s.YarnExtFactor), (byte*)&s.YarnExtFactor - b),
            ("yarn_attn_factor", nameof(s.YarnAttnFactor), (byte*)&s.YarnAttnFactor - b),
            ("yarn_beta_fast", nameof(s.YarnBetaFast), (byte*)&s.YarnBetaFast - b),
            ("yarn_beta_slow", nameof(s.YarnBetaSlow), (byte*)&s.YarnBetaSlow - b),
            ("yarn_orig_ctx", nameof(s.YarnOrigCtx), (byte*)&s.YarnOrigCtx - b),
            ("defrag_thold", nameof(s.DefragThold), (byte*)&s.DefragThold - b),
            ("cb_eval", nameof(s.CbEval), (byte*)&s.CbEval - b),
            ("cb_eval_user_data", nameof(s.CbEvalUserData), (byte*)&s.CbEvalUserData - b),
            ("type_k", nameof(s.TypeK), (byte*)&s.TypeK - b),
            ("type_v", nameof(s.TypeV), (byte*)&s.TypeV - b),
            ("abort_callback", nameof(s.AbortCallback), (byte*)&s.AbortCallback - b),
            ("abort_callback_data", nameof(s.AbortCallbackData), (byte*)&s.AbortCallbackData - b),
            ("embeddings", nameof(s.Embeddings), (byte*)&s.Embeddings - b),
            ("offload_kqv", nameof(s.OffloadKqv), (byte*)&s.OffloadKqv - b),
            ("no_perf", nameof(s.NoPerf), (byte*)&s.NoPerf - b),
            ("op_offload", nameof(s.OpOffload), (byte*)&s.OpOffload - b),
            ("swa_full", nameof(s.SwaFull), (byte*)&s.SwaFull - b),
            ("kv_unified", nameof(s.KvUnified), (byte*)&s.KvUnified - b),
            ("samplers", nameof(s.Samplers), (byte*)&s.Samplers - b),
            ("n_samplers", nameof(s.NSamplers), (byte*)&s.NSamplers - b),
            ("ctx_other", nameof(s.CtxOther), (byte*)&s.CtxOther - b));
    }

    private static StructMirror Batch()
    {
        LlamaBatch s = default;
        var b = (byte*)&s;
        return Mirror<LlamaBatch>("llama_batch",
            ("n_tokens", nameof(s.NTokens), (byte*)&s.NTokens - b),
            ("token", nameof(s.Token), (byte*)&s.Token - b),
            ("embd", nameof(s.Embd), (byte*)&s.Embd - b),
            ("pos", nameof(s.Pos), (byte*)&s.Pos - b),
            ("n_seq_id", nameof(s.NSeqId), (byte*)&s.NSeqId - b),
            ("seq_id", nameof(s.SeqId), (byte*)&s.SeqId - b),
            ("logits", nameof(s.Logits), (byte*)&s.Logits - b));
    }

    private static StructMirror ModelQuantizeParams()
    {
        LlamaModelQuantizeParams s = default;
        var b = (byte*)&s;
        return Mirror<LlamaModelQuantizeParams>("llama_model_quantize_params",
            ("nthread", nameof(s.NThread), (byte*)&s.NThread - b),
            ("ftype", nameof(s.FType), (byte*)&s.FType - b),
            ("output_tensor_type", nameof(s.OutputTensorType), (byte*)&s.OutputTensorType - b),
            ("token_embedding_type", nameof(s.TokenEmbeddingType), (byte*)&s.TokenEmbeddingType - b),
            ("allow_requantize", nameof(s.AllowRequantize), (byte*)&s.AllowRequantize - b),
            ("quantize_output_tensor", nameof(s.QuantizeOutputTensor), (byte*)&s.QuantizeOutputTensor - b),
            ("only_copy", nameof(s.OnlyCopy), (byte*)&s.OnlyCopy - b),
            ("pure", nameof(s.Pure), (byte*)&s.Pure - b),
            ("keep_split", nameof(s.KeepSplit), (byte*)&s.KeepSplit - b),
            ("dry_run", nameof(s.DryRun), (byte*)&s.DryRun - b),
            ("imatrix", nameof(s.Imatrix), (byte*)&s.Imatrix - b),
            ("kv_overrides", nameof(s.KvOverrides), (byte*)&s.KvOverrides - b),
            ("tt_overrides", nameof(s.TtOverrides), (byte*)&s.TtOverrides - b),
            ("prune_layers", nameof(s.PruneLayers), (byte*)&s.PruneLayers - b),
            ("max_buf_size", nameof(s.MaxBufSize), (byte*)&s.MaxBufSize - b));
    }

    private static StructMirror SamplerChainParams()
    {
        LlamaSamplerChainParams s = default;
        var b = (byte*)&s;
        return Mirror<LlamaSamplerChainParams>("llama_sampler_chain_params",
            ("no_perf", nameof(s.NoPerf), (byte*)&s.NoPerf - b));
    }

    private static StructMirror TokenData()
    {
        LlamaTokenData s = default;
        var b = (byte*)&s;
        return Mirror<LlamaTokenData>("llama_token_data",
            ("id", nameof(s.Id), (byte*)&s.Id - b),
            ("logit", nameof(s.Logit), (byte*)&s.Logit - b),
            ("p", nameof(s.P), (byte*)&s.P - b));
    }

    private static StructMirror TokenDataArray()
    {
        LlamaTokenDataArray s = default;
        var b = (byte*)&s;
        return Mirror<LlamaTokenDataArray>("llama_token_data_array",
            ("data", nameof(s.Data), (byte*)&s.Data - b),
            ("size", nameof(s.Size), (byte*)&s.Size - b),
            ("selected", nameof(s.Selected), (byte*)&s.Selected - b),
            ("sorted", nameof(s.Sorted), (byte*)&s.Sorted - b));
    }

    private static StructMirror ChatMessage()
    {
        LlamaChatMessage s = default;
        var b = (byte*)&s;
        return Mirror<LlamaChatMessage>("llama_chat_message",
            ("role", nameof(s.Role), (byte*)&s.Role - b),
            ("content", nameof(s.Content), (byte*)&s.Content - b));
    }

    private static StructMirror PerfContextData()
    {
        LlamaPerfContextData s = default;
        var b = (byte*)&s;
        return Mirror<LlamaPerfContextData>("llama_perf_context_data",
            ("t_start_ms", nameof(s.TStartMs), (byte*)&s.TStartMs - b),
            ("t_load_ms", nameof(s.TLoadMs), (byte*)&s.TLoadMs - b),
            ("t_p_eval_ms", nameof(s.TPEvalMs), (byte*)&s.TPEvalMs - b),
            ("t_eval_ms", nameof(s.TEvalMs), (byte*)&s.TEvalMs - b),
            ("n_p_eval", nameof(s.NPEval), (byte*)&s.NPEval - b),
            ("n_eval", nameof(s.NEval), (byte*)&s.NEval - b),
            ("n_reused", nameof(s.NReused), (byte*)&s.NReused - b));
    }

    private static StructMirror ThreadpoolParams()
    {
        GgmlThreadpoolParams s = default;
        var b = (byte*)&s;
        return Mirror<GgmlThreadpoolParams>("ggml_threadpool_params",
            ("cpumask", nameof(s.Cpumask), (byte*)s.Cpumask - b),
            ("n_threads", nameof(s.NThreads), (byte*)&s.NThreads - b),
            ("prio", nameof(s.Prio), (byte*)&s.Prio - b),
            ("poll", nameof(s.Poll), (byte*)&s.Poll - b),
            ("strict_cpu", nameof(s.StrictCpu), (byte*)&s.StrictCpu - b),
            ("paused", nameof(s.Paused), (byte*)&s.Paused - b));
    }

    private static StructMirror OptParams()
    {
        LlamaOptParams s = default;
        var b = (byte*)&s;
        return Mirror<LlamaOptParams>("llama_opt_params",
            ("n_ctx_train", nameof(s.NCtxTrain), (byte*)&s.NCtxTrain - b),
            ("param_filter", nameof(s.ParamFilter), (byte*)&s.ParamFilter - b),
            ("param_filter_ud", nameof(s.ParamFilterUserData), (byte*)&s.ParamFilterUserData - b),
            ("get_opt_pars", nameof(s.GetOptPars), (byte*)&s.GetOptPars - b),
            ("get_opt_pars_ud", nameof(s.GetOptParsUserData), (byte*)&s.GetOptParsUserData - b),
            ("optimizer_type", nameof(s.OptimizerType), (byte*)&s.OptimizerType - b));
    }

    private static StructMirror OptimizerParams()
    {
        GgmlOptOptimizerParams s = default;
        var b = (byte*)&s;
        return Mirror<GgmlOptOptimizerParams>("ggml_opt_optimizer_params",
            ("adamw.alpha", nameof(s.AdamwAlpha), (byte*)&s.AdamwAlpha - b),
            ("adamw.beta1", nameof(s.AdamwBeta1), (byte*)&s.AdamwBeta1 - b),
            ("adamw.beta2", nameof(s.AdamwBeta2), (byte*)&s.AdamwBeta2 - b),
            ("adamw.eps", nameof(s.AdamwEps), (byte*)&s.AdamwEps - b),
            ("adamw.wd", nameof(s.AdamwWd), (byte*)&s.AdamwWd - b),
            ("sgd.alpha", nameof(s.SgdAlpha), (byte*)&s.SgdAlpha - b),
            ("sgd.wd", nameof(s.SgdWd), (byte*)&s.SgdWd - b));
    }

    private static StructMirror Tensor()
    {
        GgmlTensor s = default;
        var b = (byte*)&s;
        return Mirror<GgmlTensor>("ggml_tensor",
            ("type", nameof(s.Type), (byte*)&s.Type - b),
            ("buffer", nameof(s.Buffer), (byte*)&s.Buffer - b),
            ("ne", nameof(s.Ne), (byte*)s.Ne - b),
            ("nb", nameof(s.Nb), (byte*)s.Nb - b),
            ("op", nameof(s.Op), (byte*)&s.Op - b),
            ("op_params", nameof(s.OpParams), (byte*)s.OpParams - b),
            ("flags", nameof(s.Flags), (byte*)&s.Flags - b),
            ("src", nameof(s.Src), (byte*)s.Src - b),
            ("view_src", nameof(s.ViewSrc), (byte*)&s.ViewSrc - b),
            ("view_offs", nameof(s.ViewOffs), (byte*)&s.ViewOffs - b),
            ("data", nameof(s.Data), (byte*)&s.Data - b),
            ("name", nameof(s.Name), (byte*)s.Name - b),
            ("extra", nameof(s.Extra), (byte*)&s.Extra - b),
            ("padding", nameof(s.Padding), (byte*)s.Padding - b));
    }

    private static StructMirror Mirror<T>(string cName, params (string CName, string CsName, long Offset)[] fields)
        where T : unmanaged
    {
        AlignmentProbe<T> probe = default;
        var alignment = (int)((byte*)&probe.Value - (byte*)&probe);
        return new StructMirror(cName, typeof(T), sizeof(T), alignment,
            fields.Select(f => new FieldMirror(f.CName, f.CsName, (int)f.Offset, FieldSize(typeof(T), f.CsName))).ToList());
    }

    /// <summary>The size of a C# field's type: pointers and nint are pointer-sized, the rest as the runtime lays them out.</summary>
    private static int FieldSize(Type type, string csName)
    {
        var fieldType = type.GetField(csName, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.FieldType;
        return fieldType.IsPointer || fieldType.IsFunctionPointer || fieldType == typeof(nint) || fieldType == typeof(nuint)
            ? sizeof(nint)
            : RuntimeHelpers.SizeOf(fieldType.TypeHandle);
    }

    private static byte[] Bytes<T>(T value) where T : unmanaged =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();

    /// <summary>The offset of <see cref="Value"/> is the alignment the runtime gives <typeparamref name="T"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct AlignmentProbe<T> where T : unmanaged
    {
        public byte Pad;
        public T Value;
    }
}
