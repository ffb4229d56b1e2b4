namespace Slingshot.Gguf;

/// <summary>
/// Tensor element types of ggml, with the numeric values of the pinned header (ggml/include/ggml.h).
/// Values the header marks as removed (4, 5, 31-33, 36-38) are deliberately absent: llama.cpp refuses them.
/// </summary>
public enum GgmlType
{
    /// <summary>32-bit float.</summary>
    F32 = 0,
    /// <summary>IEEE 754 half float.</summary>
    F16 = 1,
    /// <summary>4-bit blocks of 32 with one fp16 scale.</summary>
    Q4_0 = 2,
    /// <summary>4-bit blocks of 32 with fp16 scale and minimum.</summary>
    Q4_1 = 3,
    /// <summary>5-bit blocks of 32 with one fp16 scale.</summary>
    Q5_0 = 6,
    /// <summary>5-bit blocks of 32 with fp16 scale and minimum.</summary>
    Q5_1 = 7,
    /// <summary>8-bit blocks of 32 with one fp16 scale.</summary>
    Q8_0 = 8,
    /// <summary>8-bit blocks of 32 with fp16 scale and sum (intermediate type).</summary>
    Q8_1 = 9,
    /// <summary>2-bit k-quant (super-blocks of 256).</summary>
    Q2_K = 10,
    /// <summary>3-bit k-quant.</summary>
    Q3_K = 11,
    /// <summary>4-bit k-quant.</summary>
    Q4_K = 12,
    /// <summary>5-bit k-quant.</summary>
    Q5_K = 13,
    /// <summary>6-bit k-quant.</summary>
    Q6_K = 14,
    /// <summary>8-bit k-quant (intermediate type).</summary>
    Q8_K = 15,
    /// <summary>i-quant, 2.06 bits per weight.</summary>
    IQ2_XXS = 16,
    /// <summary>i-quant, 2.31 bits per weight.</summary>
    IQ2_XS = 17,
    /// <summary>i-quant, 3.06 bits per weight.</summary>
    IQ3_XXS = 18,
    /// <summary>i-quant, 1.56 bits per weight.</summary>
    IQ1_S = 19,
    /// <summary>4-bit non-linear blocks of 32.</summary>
    IQ4_NL = 20,
    /// <summary>i-quant, 3.44 bits per weight.</summary>
    IQ3_S = 21,
    /// <summary>i-quant, 2.5 bits per weight.</summary>
    IQ2_S = 22,
    /// <summary>4-bit non-linear super-blocks of 256.</summary>
    IQ4_XS = 23,
    /// <summary>8-bit integer.</summary>
    I8 = 24,
    /// <summary>16-bit integer.</summary>
    I16 = 25,
    /// <summary>32-bit integer.</summary>
    I32 = 26,
    /// <summary>64-bit integer.</summary>
    I64 = 27,
    /// <summary>64-bit float.</summary>
    F64 = 28,
    /// <summary>i-quant, 1.75 bits per weight.</summary>
    IQ1_M = 29,
    /// <summary>bfloat16.</summary>
    BF16 = 30,
    /// <summary>Ternary, 1.69 bits per weight.</summary>
    TQ1_0 = 34,
    /// <summary>Ternary, 2.06 bits per weight.</summary>
    TQ2_0 = 35,
    /// <summary>Microscaling FP4 (blocks of 32, e8m0 scale).</summary>
    MXFP4 = 39,
    /// <summary>NVIDIA FP4 (blocks of 64, e4m3 scales).</summary>
    NVFP4 = 40,
    /// <summary>1-bit blocks of 128.</summary>
    Q1_0 = 41,
    /// <summary>2-bit blocks of 64.</summary>
    Q2_0 = 42,
}
