using System.Runtime.InteropServices;
using Slingshot.Native.Handles;

namespace Slingshot.Native.Interop;

internal static unsafe partial class LlamaNative
{
    /// <summary>Returns NULL on failure; the reason is only in the log.</summary>
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint llama_model_load_from_file(string pathModel, LlamaModelParams parameters);

    [LibraryImport(Llama)]
    public static partial void llama_model_free(nint model);

    [LibraryImport(Llama)]
    public static partial nint llama_model_get_vocab(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_model_n_ctx_train(SafeLlamaModelHandle model);

    /// <summary>Sliding-window size of the model's attention (0 = none).</summary>
    [LibraryImport(Llama)]
    public static partial int llama_model_n_swa(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_model_n_embd(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_model_n_layer(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_model_n_head(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_model_n_head_kv(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial ulong llama_model_n_params(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial ulong llama_model_size(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_model_desc(SafeLlamaModelHandle model, byte* buf, nuint bufSize);

    [LibraryImport(Llama)]
    public static partial int llama_model_ftype(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial byte* llama_ftype_name(int ftype);

    /// <summary>The model's chat template (name NULL = default), or NULL when it has none.</summary>
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial byte* llama_model_chat_template(SafeLlamaModelHandle model, string? name);

    [LibraryImport(Llama)]
    public static partial int llama_model_meta_count(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    public static partial int llama_model_meta_key_by_index(SafeLlamaModelHandle model, int i, byte* buf, nuint bufSize);

    [LibraryImport(Llama)]
    public static partial int llama_model_meta_val_str_by_index(SafeLlamaModelHandle model, int i, byte* buf, nuint bufSize);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_model_has_encoder(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_model_has_decoder(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_model_is_diffusion(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_model_is_recurrent(SafeLlamaModelHandle model);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_model_is_hybrid(SafeLlamaModelHandle model);

    /// <summary>Returns 0 on success.</summary>
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint llama_model_quantize(string fnameInp, string fnameOut, LlamaModelQuantizeParams* parameters);

    /// <summary>Returns NULL on failure; the adapter lives no longer than its model.</summary>
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint llama_adapter_lora_init(SafeLlamaModelHandle model, string pathLora);

    [LibraryImport(Llama)]
    public static partial void llama_adapter_lora_free(nint adapter);

    [LibraryImport(Llama)]
    public static partial int llama_chat_apply_template(byte* tmpl, LlamaChatMessage* chat, nuint nMsg,
        [MarshalAs(UnmanagedType.U1)] bool addAssistant, byte* buf, int length);

    [LibraryImport(Llama)]
    public static partial int llama_chat_builtin_templates(byte** output, nuint len);
}
