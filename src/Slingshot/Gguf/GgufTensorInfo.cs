namespace Slingshot.Gguf;

/// <summary>
/// One entry of a GGUF tensor table. <see cref="Shape"/> is in ggml order (<c>ne</c>): element 0 is the
/// row length, the fastest-varying dimension. <see cref="Offset"/> is relative to the file's data section
/// (<see cref="GgufFile.DataOffset"/>).
/// </summary>
/// <param name="Name">Tensor name, for example <c>blk.0.attn_q.weight</c>.</param>
/// <param name="Shape">Dimensions in ggml order (1 to 4 of them).</param>
/// <param name="Type">Element storage type.</param>
/// <param name="Offset">Byte offset of the data within the data section.</param>
/// <param name="ByteSize">Bytes the data takes (without alignment padding).</param>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<ulong> Shape, GgmlType Type, ulong Offset, ulong ByteSize)
{
    /// <summary>Total number of elements (the product of <see cref="Shape"/>).</summary>
    public ulong ElementCount => Shape.Aggregate(1UL, (product, dimension) => product * dimension);

    /// <summary>The shape as ggml prints it, for example <c>[64, 512]</c>.</summary>
    public override string ToString() => $"{Name} {GgmlTypeInfo.GetName(Type)} [{string.Join(", ", Shape)}]";
}
