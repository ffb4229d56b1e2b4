using System.Runtime.InteropServices;

namespace Slingshot.Native.Interop;

/// <summary>
/// Raw externs of the llama.cpp and ggml C APIs, named as in the headers. Internal: the engine wraps every
/// call, validates input before it reaches native code and turns NULLs and error codes into exceptions.
/// </summary>
internal static unsafe partial class LlamaNative
{
    public const string Llama = "llama";
    public const string Ggml = "ggml";
    public const string GgmlBase = "ggml-base";

    [LibraryImport(Llama)]
    public static partial byte* llama_version();

    [LibraryImport(Llama)]
    public static partial void llama_backend_init();

    [LibraryImport(Llama)]
    public static partial byte* llama_print_system_info();

    [LibraryImport(Llama)]
    public static partial nuint llama_max_parallel_sequences();

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_supports_mmap();

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_supports_gpu_offload();

    [LibraryImport(Llama)]
    public static partial void llama_log_set(delegate* unmanaged[Cdecl]<GgmlLogLevel, byte*, void*, void> callback, void* userData);

    [LibraryImport(GgmlBase)]
    public static partial void ggml_log_set(delegate* unmanaged[Cdecl]<GgmlLogLevel, byte*, void*, void> callback, void* userData);

    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void ggml_backend_load_all_from_path(string dirPath);

    /// <summary>Loads one backend library; returns the registration or NULL when it cannot run here.</summary>
    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ggml_backend_load(string path);

    [LibraryImport(Ggml)]
    public static partial nuint ggml_backend_dev_count();

    /// <summary>The first device of a type (0 = CPU), or NULL.</summary>
    [LibraryImport(Ggml)]
    public static partial nint ggml_backend_dev_by_type(int type);

    [LibraryImport(Ggml)]
    public static partial nint ggml_backend_dev_backend_reg(nint device);

    /// <summary>A function a dynamically loaded backend exports (e.g. the CPU backend's ggml_threadpool_new), or NULL.</summary>
    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ggml_backend_reg_get_proc_address(nint reg, string name);

    [LibraryImport(GgmlBase)]
    public static partial GgmlThreadpoolParams ggml_threadpool_params_default(int nThreads);

    [LibraryImport(Ggml)]
    public static partial nint ggml_backend_dev_get(nuint index);

    [LibraryImport(Ggml)]
    public static partial byte* ggml_backend_dev_name(nint device);

    [LibraryImport(Ggml)]
    public static partial byte* ggml_backend_dev_description(nint device);

    [LibraryImport(Llama)]
    public static partial LlamaModelParams llama_model_default_params();

    [LibraryImport(Llama)]
    public static partial LlamaContextParams llama_context_default_params();

    [LibraryImport(Llama)]
    public static partial LlamaSamplerChainParams llama_sampler_chain_default_params();

    [LibraryImport(Llama)]
    public static partial LlamaModelQuantizeParams llama_model_quantize_default_params();

    /// <summary>Reads a NUL-terminated UTF-8 string that native code owns (never freed here).</summary>
    public static string? ReadString(byte* text) =>
        text == null ? null : Marshal.PtrToStringUTF8((nint)text);
}
