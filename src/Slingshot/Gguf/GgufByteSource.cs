using System.Buffers.Binary;

namespace Slingshot.Gguf;

/// <summary>
/// Buffered forward reader over a file that checks every read against the file length first, so no byte
/// content can make the parser allocate or read past the end; failures become one-line
/// <see cref="InvalidModelFileException"/>s.
/// </summary>
internal sealed class GgufByteSource : IDisposable
{
    private readonly FileStream _stream;
    private readonly byte[] _buffer;
    private long _bufferFileOffset;
    private int _bufferCount;
    private int _bufferPosition;

    public GgufByteSource(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
        Length = stream.Length;
        // Small files (tests, fuzzing) get a small buffer; large ones read their header in 64 KiB steps.
        _buffer = new byte[(int)Math.Clamp(Length, 1, 64 * 1024)];
    }

    public string Path { get; }

    public long Length { get; }

    public long Position => _bufferFileOffset + _bufferPosition;

    public long Remaining => Length - Position;

    public InvalidModelFileException Invalid(string problem) => new(Path, problem);

    /// <summary>Throws "truncated metadata" unless <paramref name="count"/> more bytes exist.</summary>
    public void Require(UInt128 count, string what)
    {
        if (count > (ulong)Remaining)
        {
            throw Invalid($"truncated metadata: {what} at offset {Position} needs {count} bytes, file has {Length}");
        }
    }

    public void ReadExactly(Span<byte> destination, string what)
    {
        Require((ulong)destination.Length, what);
        while (!destination.IsEmpty)
        {
            if (_bufferPosition == _bufferCount)
            {
                Refill(what);
            }
            int take = Math.Min(destination.Length, _bufferCount - _bufferPosition);
            _buffer.AsSpan(_bufferPosition, take).CopyTo(destination);
            _bufferPosition += take;
            destination = destination[take..];
        }
    }

    public byte ReadByte(string what)
    {
        Span<byte> bytes = stackalloc byte[1];
        ReadExactly(bytes, what);
        return bytes[0];
    }

    public uint ReadUInt32(string what)
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadExactly(bytes, what);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public int ReadInt32(string what) => (int)ReadUInt32(what);

    public ulong ReadUInt64(string what)
    {
        Span<byte> bytes = stackalloc byte[8];
        ReadExactly(bytes, what);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    public long ReadInt64(string what) => (long)ReadUInt64(what);

    /// <summary>Reads a GGUF string's length and checks that many bytes follow.</summary>
    public int ReadStringLength(string what)
    {
        ulong length = ReadUInt64(what);
        if (length > GgufHeaderParser.MaxStringLength)
        {
            throw Invalid($"{what} claims {length} bytes, more than the 1 GiB llama.cpp accepts");
        }
        Require(length, what);
        return (int)length;
    }

    /// <summary>Reads a GGUF string (length, then UTF-8 bytes) and returns its bytes.</summary>
    public byte[] ReadStringBytes(string what)
    {
        var bytes = new byte[ReadStringLength(what)];
        ReadExactly(bytes, what);
        return bytes;
    }

    public void Dispose() => _stream.Dispose();

    private void Refill(string what)
    {
        _bufferFileOffset += _bufferCount;
        _bufferPosition = 0;
        _bufferCount = _stream.Read(_buffer, 0, _buffer.Length);
        if (_bufferCount == 0)
        {
            // The file shrank while it was being read.
            throw Invalid($"truncated metadata: file ended at offset {Position} while reading {what}");
        }
    }
}
