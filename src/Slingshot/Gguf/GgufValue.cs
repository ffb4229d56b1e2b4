using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Slingshot.Gguf;

/// <summary>
/// One GGUF metadata value: a scalar, a string, or an array of one element type. Arrays keep their raw
/// little-endian bytes (strings: one UTF-8 blob plus offsets), so a 150,000-entry token list costs two
/// allocations and its strings are decoded only when read.
/// </summary>
public sealed class GgufValue
{
    private readonly ulong _bits;            // scalar numbers and bools, little-endian in the low bytes
    private readonly string? _string;        // scalar strings
    private readonly byte[]? _raw;           // numeric arrays: elements back to back; string arrays: UTF-8 blob
    private readonly int[]? _stringOffsets;  // string arrays: Length + 1 offsets into _raw

    private GgufValue(GgufValueType type, GgufValueType elementType, int length, ulong bits, string? text, byte[]? raw, int[]? offsets)
    {
        Type = type;
        ElementType = elementType;
        Length = length;
        _bits = bits;
        _string = text;
        _raw = raw;
        _stringOffsets = offsets;
    }

    /// <summary>The value's type; <see cref="GgufValueType.Array"/> for arrays.</summary>
    public GgufValueType Type { get; }

    /// <summary>For arrays the type of every element; for scalars the same as <see cref="Type"/>.</summary>
    public GgufValueType ElementType { get; }

    /// <summary>Whether this value is an array.</summary>
    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>Number of elements of an array; 1 for a scalar.</summary>
    public int Length { get; }

    /// <summary>The string of a <see cref="GgufValueType.String"/> value.</summary>
    public string AsString() => _string ?? throw WrongType(GgufValueType.String);

    /// <summary>The value of a <see cref="GgufValueType.UInt8"/> scalar.</summary>
    public byte AsUInt8() => Scalar<byte>();

    /// <summary>The value of a <see cref="GgufValueType.Int8"/> scalar.</summary>
    public sbyte AsInt8() => Scalar<sbyte>();

    /// <summary>The value of a <see cref="GgufValueType.UInt16"/> scalar.</summary>
    public ushort AsUInt16() => Scalar<ushort>();

    /// <summary>The value of a <see cref="GgufValueType.Int16"/> scalar.</summary>
    public short AsInt16() => Scalar<short>();

    /// <summary>The value of a <see cref="GgufValueType.UInt32"/> scalar.</summary>
    public uint AsUInt32() => Scalar<uint>();

    /// <summary>The value of a <see cref="GgufValueType.Int32"/> scalar.</summary>
    public int AsInt32() => Scalar<int>();

    /// <summary>The value of a <see cref="GgufValueType.UInt64"/> scalar.</summary>
    public ulong AsUInt64() => Scalar<ulong>();

    /// <summary>The value of a <see cref="GgufValueType.Int64"/> scalar.</summary>
    public long AsInt64() => Scalar<long>();

    /// <summary>The value of a <see cref="GgufValueType.Float32"/> scalar.</summary>
    public float AsFloat32() => Scalar<float>();

    /// <summary>The value of a <see cref="GgufValueType.Float64"/> scalar.</summary>
    public double AsFloat64() => Scalar<double>();

    /// <summary>The value of a <see cref="GgufValueType.Bool"/> scalar.</summary>
    public bool AsBool() => Scalar<bool>();

    /// <summary>
    /// The scalar as <typeparamref name="T"/> when its GGUF type is exactly the one <typeparamref name="T"/>
    /// maps to (byte, sbyte, ushort, short, uint, int, ulong, long, float, double, bool, string).
    /// </summary>
    public bool TryGet<T>([MaybeNullWhen(false)] out T value)
    {
        if (typeof(T) == typeof(string))
        {
            value = (T?)(object?)_string;
            return _string is not null;
        }
        if (!IsArray && TypeOf<T>() is { } type && type == Type)
        {
            ulong bits = _bits;
            value = Unsafe.As<ulong, T>(ref bits);
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>The elements of a string array, decoded one by one as they are read.</summary>
    public IReadOnlyList<string> AsStringArray() =>
        IsArray && ElementType == GgufValueType.String
            ? new StringArrayView(_raw!, _stringOffsets!)
            : throw WrongType(GgufValueType.String, array: true);

    /// <summary>The elements of a numeric or bool array without copying.</summary>
    public ReadOnlySpan<T> AsSpan<T>() where T : unmanaged =>
        IsArray && TypeOf<T>() == ElementType
            ? MemoryMarshal.Cast<byte, T>(_raw)
            : throw WrongType(TypeOf<T>() ?? GgufValueType.Array, array: true);

    /// <summary>A copy of the elements of a numeric or bool array.</summary>
    public T[] ToArray<T>() where T : unmanaged => AsSpan<T>().ToArray();

    /// <summary>Creates an unsigned 8-bit value.</summary>
    public static GgufValue FromUInt8(byte value) => Scalar(GgufValueType.UInt8, value);

    /// <summary>Creates a signed 8-bit value.</summary>
    public static GgufValue FromInt8(sbyte value) => Scalar(GgufValueType.Int8, (byte)value);

    /// <summary>Creates an unsigned 16-bit value.</summary>
    public static GgufValue FromUInt16(ushort value) => Scalar(GgufValueType.UInt16, value);

    /// <summary>Creates a signed 16-bit value.</summary>
    public static GgufValue FromInt16(short value) => Scalar(GgufValueType.Int16, (ushort)value);

    /// <summary>Creates an unsigned 32-bit value.</summary>
    public static GgufValue FromUInt32(uint value) => Scalar(GgufValueType.UInt32, value);

    /// <summary>Creates a signed 32-bit value.</summary>
    public static GgufValue FromInt32(int value) => Scalar(GgufValueType.Int32, (uint)value);

    /// <summary>Creates an unsigned 64-bit value.</summary>
    public static GgufValue FromUInt64(ulong value) => Scalar(GgufValueType.UInt64, value);

    /// <summary>Creates a signed 64-bit value.</summary>
    public static GgufValue FromInt64(long value) => Scalar(GgufValueType.Int64, (ulong)value);

    /// <summary>Creates a 32-bit float value.</summary>
    public static GgufValue FromFloat32(float value) => Scalar(GgufValueType.Float32, BitConverter.SingleToUInt32Bits(value));

    /// <summary>Creates a 64-bit float value.</summary>
    public static GgufValue FromFloat64(double value) => Scalar(GgufValueType.Float64, BitConverter.DoubleToUInt64Bits(value));

    /// <summary>Creates a bool value.</summary>
    public static GgufValue FromBool(bool value) => Scalar(GgufValueType.Bool, value ? 1UL : 0UL);

    /// <summary>Creates a string value.</summary>
    public static GgufValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new GgufValue(GgufValueType.String, GgufValueType.String, 1, 0, value, null, null);
    }

    /// <summary>Creates an array of numbers or bools; the element type follows <typeparamref name="T"/>.</summary>
    public static GgufValue FromArray<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        GgufValueType elementType = TypeOf<T>()
            ?? throw new ArgumentException($"{typeof(T).Name} is not a GGUF element type.", nameof(values));
        byte[] raw = MemoryMarshal.AsBytes(values).ToArray();
        if (elementType == GgufValueType.Bool)
        {
            // Normalise so every byte is 0 or 1, as a bool span over the bytes requires.
            for (int i = 0; i < raw.Length; i++)
            {
                raw[i] = raw[i] != 0 ? (byte)1 : (byte)0;
            }
        }
        return CreateArray(elementType, values.Length, raw);
    }

    /// <summary>Creates an array of strings.</summary>
    public static GgufValue FromStringArray(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var blob = new List<byte>();
        var offsets = new List<int> { 0 };
        foreach (string value in values)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(values));
            blob.AddRange(Encoding.UTF8.GetBytes(value));
            offsets.Add(blob.Count);
        }
        return CreateStringArray(offsets.Count - 1, [.. blob], [.. offsets]);
    }

    /// <summary>A short human-readable form: the scalar, or the element type and length of an array.</summary>
    public override string ToString()
    {
        if (!IsArray)
        {
            return Type switch
            {
                GgufValueType.String => _string!,
                GgufValueType.Float32 => AsFloat32().ToString(CultureInfo.InvariantCulture),
                GgufValueType.Float64 => AsFloat64().ToString(CultureInfo.InvariantCulture),
                GgufValueType.Bool => AsBool() ? "true" : "false",
                GgufValueType.Int8 or GgufValueType.Int16 or GgufValueType.Int32 or GgufValueType.Int64 =>
                    SignExtend().ToString(CultureInfo.InvariantCulture),
                _ => _bits.ToString(CultureInfo.InvariantCulture),
            };
        }
        return $"[{ElementType} x {Length}]";
    }

    internal static GgufValue Scalar(GgufValueType type, ulong bits) => new(type, type, 1, bits, null, null, null);

    internal static GgufValue CreateArray(GgufValueType elementType, int length, byte[] raw) =>
        new(GgufValueType.Array, elementType, length, 0, null, raw, null);

    internal static GgufValue CreateStringArray(int length, byte[] utf8Blob, int[] offsets) =>
        new(GgufValueType.Array, GgufValueType.String, length, 0, null, utf8Blob, offsets);

    /// <summary>Size in bytes of one element of a fixed-size type, 0 for strings and arrays.</summary>
    internal static int FixedSize(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
        _ => 0,
    };

    /// <summary>Serialises the value (without its type tag) as GGUF stores it.</summary>
    internal void WritePayload(BinaryWriter writer)
    {
        if (IsArray)
        {
            writer.Write((int)ElementType);
            writer.Write((ulong)Length);
            if (ElementType == GgufValueType.String)
            {
                for (int i = 0; i < Length; i++)
                {
                    int start = _stringOffsets![i];
                    int count = _stringOffsets[i + 1] - start;
                    writer.Write((ulong)count);
                    writer.Write(_raw!, start, count);
                }
            }
            else
            {
                writer.Write(_raw!);
            }
        }
        else if (Type == GgufValueType.String)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(_string!);
            writer.Write((ulong)utf8.Length);
            writer.Write(utf8);
        }
        else
        {
            Span<byte> bytes = stackalloc byte[8];
            BitConverter.TryWriteBytes(bytes, _bits);
            writer.Write(bytes[..FixedSize(Type)]);
        }
    }

    private static GgufValueType? TypeOf<T>() =>
        typeof(T) == typeof(byte) ? GgufValueType.UInt8
        : typeof(T) == typeof(sbyte) ? GgufValueType.Int8
        : typeof(T) == typeof(ushort) ? GgufValueType.UInt16
        : typeof(T) == typeof(short) ? GgufValueType.Int16
        : typeof(T) == typeof(uint) ? GgufValueType.UInt32
        : typeof(T) == typeof(int) ? GgufValueType.Int32
        : typeof(T) == typeof(ulong) ? GgufValueType.UInt64
        : typeof(T) == typeof(long) ? GgufValueType.Int64
        : typeof(T) == typeof(float) ? GgufValueType.Float32
        : typeof(T) == typeof(double) ? GgufValueType.Float64
        : typeof(T) == typeof(bool) ? GgufValueType.Bool
        : typeof(T) == typeof(string) ? GgufValueType.String
        : null;

    private T Scalar<T>() where T : unmanaged =>
        TryGet(out T value) ? value : throw WrongType(TypeOf<T>()!.Value);

    private long SignExtend() => Type switch
    {
        GgufValueType.Int8 => AsInt8(),
        GgufValueType.Int16 => AsInt16(),
        GgufValueType.Int32 => AsInt32(),
        _ => AsInt64(),
    };

    private InvalidOperationException WrongType(GgufValueType wanted, bool array = false) =>
        new($"The value is {Describe(Type, ElementType)}, not {(array ? $"an array of {wanted}" : wanted.ToString())}.");

    private static string Describe(GgufValueType type, GgufValueType elementType) =>
        type == GgufValueType.Array ? $"an array of {elementType}" : type.ToString();

    /// <summary>Read-only list over a UTF-8 blob that decodes an element when it is indexed.</summary>
    private sealed class StringArrayView(byte[] blob, int[] offsets) : IReadOnlyList<string>
    {
        public int Count => offsets.Length - 1;

        public string this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
                return Encoding.UTF8.GetString(blob, offsets[index], offsets[index + 1] - offsets[index]);
            }
        }

        public IEnumerator<string> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
