namespace Slingshot.Gguf;

/// <summary>
/// Storage facts about each <see cref="GgmlType"/>: how many elements one block holds and how many bytes
/// it takes. The numbers mirror <c>type_traits</c> in the pinned ggml/src/ggml.c exactly (checked against
/// <c>ggml_blck_size</c>/<c>ggml_type_size</c> of the shipped libggml-base), because a tensor's byte size
/// decides where the next tensor starts and whether a file is truncated.
/// </summary>
public static class GgmlTypeInfo
{
    // (block size in elements, bytes per block, ggml's type name), indexed by the enum value.
    private static readonly Dictionary<GgmlType, (int BlockSize, int BlockBytes, string Name)> s_traits = new()
    {
        [GgmlType.F32] = (1, 4, "f32"),
        [GgmlType.F16] = (1, 2, "f16"),
        [GgmlType.Q4_0] = (32, 18, "q4_0"),
        [GgmlType.Q4_1] = (32, 20, "q4_1"),
        [GgmlType.Q5_0] = (32, 22, "q5_0"),
        [GgmlType.Q5_1] = (32, 24, "q5_1"),
        [GgmlType.Q8_0] = (32, 34, "q8_0"),
        [GgmlType.Q8_1] = (32, 36, "q8_1"),
        [GgmlType.Q2_K] = (256, 84, "q2_K"),
        [GgmlType.Q3_K] = (256, 110, "q3_K"),
        [GgmlType.Q4_K] = (256, 144, "q4_K"),
        [GgmlType.Q5_K] = (256, 176, "q5_K"),
        [GgmlType.Q6_K] = (256, 210, "q6_K"),
        [GgmlType.Q8_K] = (256, 292, "q8_K"),
        [GgmlType.IQ2_XXS] = (256, 66, "iq2_xxs"),
        [GgmlType.IQ2_XS] = (256, 74, "iq2_xs"),
        [GgmlType.IQ3_XXS] = (256, 98, "iq3_xxs"),
        [GgmlType.IQ1_S] = (256, 50, "iq1_s"),
        [GgmlType.IQ4_NL] = (32, 18, "iq4_nl"),
        [GgmlType.IQ3_S] = (256, 110, "iq3_s"),
        [GgmlType.IQ2_S] = (256, 82, "iq2_s"),
        [GgmlType.IQ4_XS] = (256, 136, "iq4_xs"),
        [GgmlType.I8] = (1, 1, "i8"),
        [GgmlType.I16] = (1, 2, "i16"),
        [GgmlType.I32] = (1, 4, "i32"),
        [GgmlType.I64] = (1, 8, "i64"),
        [GgmlType.F64] = (1, 8, "f64"),
        [GgmlType.IQ1_M] = (256, 56, "iq1_m"),
        [GgmlType.BF16] = (1, 2, "bf16"),
        [GgmlType.TQ1_0] = (256, 54, "tq1_0"),
        [GgmlType.TQ2_0] = (256, 66, "tq2_0"),
        [GgmlType.MXFP4] = (32, 17, "mxfp4"),
        [GgmlType.NVFP4] = (64, 36, "nvfp4"),
        [GgmlType.Q1_0] = (128, 18, "q1_0"),
        [GgmlType.Q2_0] = (64, 18, "q2_0"),
    };

    /// <summary>Whether <paramref name="type"/> is a type the pinned ggml can store (not removed or out of range).</summary>
    public static bool IsKnown(GgmlType type) => s_traits.ContainsKey(type);

    /// <summary>Elements per block (1 for plain types, 32 for Q8_0, 256 for k-quants).</summary>
    public static int GetBlockSize(GgmlType type) => Get(type).BlockSize;

    /// <summary>Bytes one block takes (4 for F32, 34 for Q8_0).</summary>
    public static int GetBlockBytes(GgmlType type) => Get(type).BlockBytes;

    /// <summary>ggml's own name for the type ("f32", "q8_0", "q4_K"), as llama.cpp prints it.</summary>
    public static string GetName(GgmlType type) => Get(type).Name;

    /// <summary>
    /// Bytes a tensor of <paramref name="elementCount"/> elements takes, or null when the count is not a
    /// whole number of blocks or the size would overflow.
    /// </summary>
    public static ulong? TryGetByteSize(GgmlType type, ulong elementCount)
    {
        var (blockSize, blockBytes, _) = Get(type);
        if (elementCount % (ulong)blockSize != 0)
        {
            return null;
        }
        ulong blocks = elementCount / (ulong)blockSize;
        return blocks > ulong.MaxValue / (ulong)blockBytes ? null : blocks * (ulong)blockBytes;
    }

    private static (int BlockSize, int BlockBytes, string Name) Get(GgmlType type) =>
        s_traits.TryGetValue(type, out var traits)
            ? traits
            : throw new ArgumentOutOfRangeException(nameof(type), type, "Not a ggml type the pinned llama.cpp can store.");
}
