using System.Text;

namespace Slingshot.Gguf;

/// <summary>Reads one metadata value (scalar, string or array) with every size checked before allocating.</summary>
internal static class GgufValueParser
{
    public static GgufValue Read(GgufByteSource source, string key)
    {
        int rawType = source.ReadInt32($"type of '{key}'");
        var type = (GgufValueType)rawType;
        if (type == GgufValueType.Array)
        {
            return ReadArray(source, key);
        }
        if (!Enum.IsDefined(type))
        {
            throw source.Invalid($"metadata '{key}' has unknown value type {rawType}");
        }
        if (type == GgufValueType.String)
        {
            return GgufValue.FromString(Encoding.UTF8.GetString(source.ReadStringBytes($"value of '{key}'")));
        }
        return GgufValue.Scalar(type, GgufHeaderParser.ReadScalarBits(source, type, $"value of '{key}'"));
    }

    private static GgufValue ReadArray(GgufByteSource source, string key)
    {
        int rawElementType = source.ReadInt32($"element type of '{key}'");
        var elementType = (GgufValueType)rawElementType;
        if (elementType == GgufValueType.Array)
        {
            throw source.Invalid($"metadata '{key}' is an array of arrays, which llama.cpp does not accept");
        }
        if (!Enum.IsDefined(elementType))
        {
            throw source.Invalid($"metadata '{key}' has unknown array element type {rawElementType}");
        }
        ulong count = source.ReadUInt64($"length of '{key}'");
        if (elementType == GgufValueType.String)
        {
            return ReadStringArray(source, key, count);
        }

        int elementSize = GgufValue.FixedSize(elementType);
        UInt128 byteCount = (UInt128)count * (ulong)elementSize;
        source.Require(byteCount, $"'{key}' (array of {count} {elementType})");
        if (byteCount > int.MaxValue)
        {
            throw source.Invalid($"metadata '{key}' is an array of {byteCount} bytes, more than this reader holds (2 GiB)");
        }
        var raw = new byte[(int)byteCount];
        source.ReadExactly(raw, $"'{key}'");
        if (elementType == GgufValueType.Bool)
        {
            // llama.cpp reads any non-zero byte as true; normalise so the bytes are valid .NET bools.
            for (int i = 0; i < raw.Length; i++)
            {
                raw[i] = raw[i] != 0 ? (byte)1 : (byte)0;
            }
        }
        return GgufValue.CreateArray(elementType, (int)count, raw);
    }

    private static GgufValue ReadStringArray(GgufByteSource source, string key, ulong count)
    {
        // Each element needs at least its 8-byte length, which bounds the count before allocating offsets.
        source.Require((UInt128)count * 8, $"'{key}' (array of {count} strings)");
        if (count >= int.MaxValue)
        {
            throw source.Invalid($"metadata '{key}' has {count} strings, more than this reader holds");
        }
        // Grown as elements are read rather than sized from the count, which is only known to fit the file.
        var offsets = new int[(int)Math.Min(count + 1, 1UL << 16)];
        // Start from a guess of 8 bytes per string but never more than the file has left; grow by doubling.
        var blob = new byte[(int)Math.Min((ulong)source.Remaining, Math.Min(count * 8, 1UL << 24))];
        int used = 0;
        string what = $"an element of '{key}'";   // formatted once: token lists have 100,000+ elements
        for (int i = 0; i < (int)count; i++)
        {
            int length = source.ReadStringLength(what);
            if ((long)used + length > Array.MaxLength)
            {
                throw source.Invalid($"metadata '{key}' holds more than 2 GiB of strings, more than this reader holds");
            }
            if (used + length > blob.Length)
            {
                Array.Resize(ref blob, (int)Math.Min(Array.MaxLength, Math.Max((long)blob.Length * 2, (long)used + length)));
            }
            source.ReadExactly(blob.AsSpan(used, length), what);
            used += length;
            if (i + 1 == offsets.Length)
            {
                Array.Resize(ref offsets, (int)Math.Min(count + 1, (ulong)offsets.Length * 2));
            }
            offsets[i + 1] = used;
        }
        Array.Resize(ref blob, used);
        return GgufValue.CreateStringArray((int)count, blob, offsets);
    }
}
