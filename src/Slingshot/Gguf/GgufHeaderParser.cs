using System.Buffers.Binary;
using System.Text;

namespace Slingshot.Gguf;

/// <summary>
/// Parses a GGUF header with the same acceptance rules as llama.cpp's <c>gguf_init_from_file</c> (gguf.cpp):
/// every length and count is checked against the bytes left before anything is allocated, so corrupt or
/// hostile files fail with a one-line <see cref="InvalidModelFileException"/>, never another exception.
/// </summary>
internal static class GgufHeaderParser
{
    /// <summary>Magic + version + tensor count + metadata count.</summary>
    public const int HeaderSize = 24;

    /// <summary>llama.cpp's GGUF_MAX_STRING_LENGTH.</summary>
    public const ulong MaxStringLength = 1024 * 1024 * 1024;

    /// <summary>ggml's GGML_MAX_DIMS.</summary>
    public const int MaxDimensions = 4;

    /// <summary>ggml's GGML_MAX_NAME: names must be shorter than this (one byte is the terminator).</summary>
    public const int MaxTensorNameBytes = 64;

    // Smallest possible encodings, used to reject counts no file of this length could hold:
    // a metadata entry is a key length (8), at least one key byte, a type (4) and at least one value byte;
    // a tensor entry is a name length (8), a dimension count (4), a type (4) and an offset (8).
    private const int MinMetadataEntryBytes = 14;
    private const int MinTensorEntryBytes = 24;

    private static ReadOnlySpan<byte> Magic => "GGUF"u8;

    public static GgufFile Parse(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using GgufByteSource source = Open(path);
        try
        {
            return ParseFrom(source);
        }
        catch (IOException exception)
        {
            throw new InvalidModelFileException(path, $"cannot be read: {exception.Message}", exception);
        }
    }

    private static GgufByteSource Open(string path)
    {
        ModelFilePath.EnsureRegularFile(path);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            return new GgufByteSource(path, stream);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidModelFileException(path, $"cannot be opened: {exception.Message}", exception);
        }
    }

    private static GgufFile ParseFrom(GgufByteSource source)
    {
        if (source.Length == 0)
        {
            throw source.Invalid("file is empty");
        }
        Span<byte> start = stackalloc byte[(int)Math.Min(4, source.Length)];
        source.ReadExactly(start, "magic");
        if (!Magic.StartsWith(start))
        {
            throw source.Invalid($"not a GGUF file (starts with 0x{Convert.ToHexString(start)})");
        }
        if (source.Length < HeaderSize)
        {
            throw source.Invalid($"file is {source.Length} bytes, shorter than the {HeaderSize}-byte GGUF header");
        }

        uint version = source.ReadUInt32("version");
        CheckVersion(source, version);
        long tensorCount = source.ReadInt64("tensor count");
        long metadataCount = source.ReadInt64("metadata count");
        if (tensorCount < 0 || metadataCount < 0
            || (UInt128)(ulong)tensorCount * MinTensorEntryBytes + (UInt128)(ulong)metadataCount * MinMetadataEntryBytes > (ulong)source.Remaining)
        {
            throw source.Invalid(
                $"header claims {tensorCount} tensors and {metadataCount} metadata entries, more than a {source.Length}-byte file can hold");
        }

        // Capacities are capped: the counts are only known to fit the file, which may be many gigabytes.
        var metadata = new List<KeyValuePair<string, GgufValue>>((int)Math.Min(metadataCount, 4096));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < metadataCount; i++)
        {
            string key = Encoding.UTF8.GetString(source.ReadStringBytes($"key of metadata entry {i}"));
            if (key.Length == 0)
            {
                throw source.Invalid($"metadata entry {i} has an empty key");
            }
            if (!keys.Add(key))
            {
                throw source.Invalid($"duplicate metadata key '{key}'");
            }
            metadata.Add(new(key, GgufValueParser.Read(source, key)));
        }

        uint alignment = ReadAlignment(source, metadata);
        var tensors = new List<GgufTensorInfo>((int)Math.Min(tensorCount, 4096));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < tensorCount; i++)
        {
            GgufTensorInfo tensor = ReadTensorInfo(source, i);
            if (!names.Add(tensor.Name))
            {
                throw source.Invalid($"duplicate tensor name '{tensor.Name}'");
            }
            tensors.Add(tensor);
        }

        // The data section starts at the next multiple of the alignment, but only when there are tensors.
        long dataOffset = source.Position;
        if (tensorCount > 0)
        {
            dataOffset = (long)AlignUp((ulong)dataOffset, alignment);
        }
        return new GgufFile(source.Path, source.Length, version, metadata, tensors, alignment, dataOffset);
    }

    internal static ulong AlignUp(ulong value, uint alignment) => (value + alignment - 1) / alignment * alignment;

    private static void CheckVersion(GgufByteSource source, uint version)
    {
        if (version is 2 or 3)
        {
            return;
        }
        string why = version switch
        {
            1 => "GGUF v1 is no longer supported by llama.cpp",
            _ when version != 0 && (version & 0xFFFF) == 0 => "looks like a big-endian file, which is not supported",
            _ => "supported versions are 2 and 3",
        };
        throw source.Invalid($"unsupported GGUF version {version} ({why})");
    }

    private static uint ReadAlignment(GgufByteSource source, List<KeyValuePair<string, GgufValue>> metadata)
    {
        foreach (var (key, value) in metadata)
        {
            if (key != GgufFile.AlignmentKey)
            {
                continue;
            }
            if (value.Type != GgufValueType.UInt32)
            {
                throw source.Invalid($"{GgufFile.AlignmentKey} is {value.Type}, expected UInt32");
            }
            uint alignment = value.AsUInt32();
            if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            {
                throw source.Invalid($"{GgufFile.AlignmentKey} is {alignment}, not a power of two");
            }
            return alignment;
        }
        return GgufFile.DefaultAlignment;
    }

    private static GgufTensorInfo ReadTensorInfo(GgufByteSource source, long index)
    {
        byte[] nameBytes = source.ReadStringBytes($"name of tensor {index}");
        string name = Encoding.UTF8.GetString(nameBytes);
        if (nameBytes.Length >= MaxTensorNameBytes)
        {
            throw source.Invalid($"tensor {index} name '{Shorten(name)}' is {nameBytes.Length} bytes; ggml allows at most {MaxTensorNameBytes - 1}");
        }
        uint dimensionCount = source.ReadUInt32($"dimension count of tensor '{name}'");
        if (dimensionCount > MaxDimensions)
        {
            throw source.Invalid($"tensor '{name}' has {dimensionCount} dimensions; ggml supports at most {MaxDimensions}");
        }

        var shape = new ulong[dimensionCount];
        UInt128 elements = 1;
        string what = $"shape of tensor '{name}'";
        for (int d = 0; d < shape.Length; d++)
        {
            long dimension = source.ReadInt64(what);
            if (dimension < 0)
            {
                throw source.Invalid($"tensor '{name}' dimension {d} is negative ({dimension})");
            }
            shape[d] = (ulong)dimension;
            elements = elements == 0 ? 0 : UInt128.Min(elements * (ulong)dimension, ulong.MaxValue);
        }
        if (elements >= long.MaxValue)
        {
            throw source.Invalid($"tensor '{name}' has more elements than ggml can address");
        }

        int rawType = source.ReadInt32($"type of tensor '{name}'");
        var type = (GgmlType)rawType;
        if (!GgmlTypeInfo.IsKnown(type))
        {
            throw source.Invalid($"tensor '{name}' has unknown ggml type {rawType}");
        }
        ulong rowLength = shape.Length > 0 ? shape[0] : 1;
        int blockSize = GgmlTypeInfo.GetBlockSize(type);
        if (rowLength % (ulong)blockSize != 0)
        {
            throw source.Invalid(
                $"tensor '{name}' has {rowLength} elements per row, not a multiple of the {GgmlTypeInfo.GetName(type)} block size {blockSize}");
        }
        ulong byteSize = GgmlTypeInfo.TryGetByteSize(type, (ulong)elements)
            ?? throw source.Invalid($"tensor '{name}' is too large to address");
        ulong offset = source.ReadUInt64($"data offset of tensor '{name}'");
        return new GgufTensorInfo(name, shape, type, offset, byteSize);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    /// <summary>Reads the little-endian bytes of one fixed-size scalar.</summary>
    internal static ulong ReadScalarBits(GgufByteSource source, GgufValueType type, string what)
    {
        Span<byte> bytes = stackalloc byte[8];
        bytes.Clear();
        source.ReadExactly(bytes[..GgufValue.FixedSize(type)], what);
        ulong bits = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return type == GgufValueType.Bool ? (bits != 0 ? 1UL : 0UL) : bits;
    }
}
