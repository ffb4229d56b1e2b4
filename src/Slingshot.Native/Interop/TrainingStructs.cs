using System.Runtime.InteropServices;

namespace Slingshot.Native.Interop;

// Mirrors of the training structs in the pinned llama.h, ggml-opt.h and ggml.h, field for field.
// Sizes in this build: llama_opt_params 48, ggml_opt_optimizer_params 28, ggml_tensor 336.
// The ABI test (tests/Slingshot.Native.Tests) compiles a C program against the headers and proves it.

/// <summary>struct llama_opt_params (llama.h): what <c>llama_opt_init</c> trains and how.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaOptParams
{
    /// <summary>Context size written to the model after training; 0 = the context's size.</summary>
    public uint NCtxTrain;
    /// <summary><c>bool (*)(const struct ggml_tensor *, void *)</c>: which F32 tensors train.</summary>
    public delegate* unmanaged[Cdecl]<GgmlTensor*, void*, byte> ParamFilter;
    public void* ParamFilterUserData;
    /// <summary><c>struct ggml_opt_optimizer_params (*)(void *)</c>: called before every optimizer step.</summary>
    public delegate* unmanaged[Cdecl]<void*, GgmlOptOptimizerParams> GetOptPars;
    public void* GetOptParsUserData;
    /// <summary>enum ggml_opt_optimizer_type: 0 AdamW, 1 SGD.</summary>
    public int OptimizerType;
}

/// <summary>
/// struct ggml_opt_optimizer_params (ggml-opt.h): two nested anonymous structs, <c>adamw</c> (alpha, beta1,
/// beta2, eps, wd) and <c>sgd</c> (alpha, wd), laid out flat here; 28 bytes of floats.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GgmlOptOptimizerParams
{
    public float AdamwAlpha;
    public float AdamwBeta1;
    public float AdamwBeta2;
    public float AdamwEps;
    public float AdamwWd;
    public float SgdAlpha;
    public float SgdWd;
}

/// <summary>
/// struct ggml_tensor (ggml.h), read-only from managed code: the training callbacks get tensors by pointer and
/// read their type, shape, name and (on the CPU backend) data.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GgmlTensor
{
    public const int MaxDims = 4;
    public const int MaxName = 64;

    /// <summary>enum ggml_type (0 F32, 1 F16, 26 I32, ...).</summary>
    public int Type;
    public nint Buffer;
    public fixed long Ne[MaxDims];
    public fixed ulong Nb[MaxDims];
    public int Op;
    public fixed int OpParams[16];
    public int Flags;
    public fixed ulong Src[10];
    public GgmlTensor* ViewSrc;
    public nuint ViewOffs;
    public void* Data;
    public fixed byte Name[MaxName];
    public void* Extra;
    public fixed byte Padding[8];

    /// <summary>The tensor's name (NUL-terminated in <see cref="Name"/>).</summary>
    public static string ReadName(GgmlTensor* tensor)
    {
        var name = new ReadOnlySpan<byte>(tensor->Name, MaxName);
        var end = name.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? name : name[..end]);
    }

    /// <summary>Number of elements (the product of the four extents).</summary>
    public static long ElementCount(GgmlTensor* tensor) => tensor->Ne[0] * tensor->Ne[1] * tensor->Ne[2] * tensor->Ne[3];
}

/// <summary>enum ggml_type values the trainer uses.</summary>
internal static class GgmlTypes
{
    public const int F32 = 0;
    public const int F16 = 1;
    public const int I32 = 26;
}
