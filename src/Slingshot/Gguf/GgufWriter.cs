using System.Text;

namespace Slingshot.Gguf;

/// <summary>
/// Writes a GGUF v3 file in one forward pass without holding tensor data: add metadata and declare every
/// tensor (name, shape, type) first, so each offset is known when the header is written, then stream the
/// tensors' bytes in declaration order with <see cref="WriteTensorData"/>; alignment padding is inserted
/// automatically. Call <see cref="Finish"/> at the end; it checks that every tensor got all its bytes.
/// </summary>
public sealed class GgufWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly uint _alignment;
    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<GgufTensorInfo> _tensors = [];
    private readonly HashSet<string> _tensorNames = new(StringComparer.Ordinal);
    private ulong _nextOffset;
    private bool _headerWritten;
    private bool _finished;
    private int _currentTensor;
    private ulong _currentWritten;

    /// <summary>Creates (or overwrites) the file at <paramref name="path"/>.</summary>
    public GgufWriter(string path, uint alignment = GgufFile.DefaultAlignment)
        : this(OpenFile(path, alignment), alignment, leaveOpen: false)
    {
    }

    /// <summary>Writes to <paramref name="stream"/>, which need not be seekable.</summary>
    /// <param name="stream">Destination, positioned where the file starts.</param>
    /// <param name="alignment">Alignment of tensor data, a power of two; recorded as general.alignment unless 32.</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves <paramref name="stream"/> open.</param>
    public GgufWriter(Stream stream, uint alignment = GgufFile.DefaultAlignment, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckAlignment(alignment);
        _stream = stream;
        _alignment = alignment;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Tensors declared so far, with the offsets they will have in the data section.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors => _tensors;

    /// <summary>Bytes written to the stream so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Adds a metadata entry; entries are written in the order they are added.</summary>
    public void AddMetadata(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        EnsureDeclaring();
        if (key == GgufFile.AlignmentKey)
        {
            throw new ArgumentException($"Set {GgufFile.AlignmentKey} through the constructor's alignment.", nameof(key));
        }
        if (!_keys.Add(key))
        {
            throw new ArgumentException($"Metadata key '{key}' was already added.", nameof(key));
        }
        _metadata.Add(new(key, value));
    }

    /// <summary>Adds a string entry.</summary>
    public void AddString(string key, string value) => AddMetadata(key, GgufValue.FromString(value));

    /// <summary>Adds an unsigned 32-bit entry.</summary>
    public void AddUInt32(string key, uint value) => AddMetadata(key, GgufValue.FromUInt32(value));

    /// <summary>Adds a signed 32-bit entry.</summary>
    public void AddInt32(string key, int value) => AddMetadata(key, GgufValue.FromInt32(value));

    /// <summary>Adds a 32-bit float entry.</summary>
    public void AddFloat32(string key, float value) => AddMetadata(key, GgufValue.FromFloat32(value));

    /// <summary>Adds a bool entry.</summary>
    public void AddBool(string key, bool value) => AddMetadata(key, GgufValue.FromBool(value));

    /// <summary>Adds a string-array entry.</summary>
    public void AddStringArray(string key, IEnumerable<string> values) => AddMetadata(key, GgufValue.FromStringArray(values));

    /// <summary>Adds a numeric or bool array entry.</summary>
    public void AddArray<T>(string key, ReadOnlySpan<T> values) where T : unmanaged => AddMetadata(key, GgufValue.FromArray(values));

    /// <summary>Declares the next tensor; its data must later be written in declaration order.</summary>
    /// <param name="name">Unique name shorter than 64 UTF-8 bytes.</param>
    /// <param name="shape">1 to 4 dimensions in ggml order (row length first).</param>
    /// <param name="type">Storage type; the row length must be a multiple of its block size.</param>
    /// <returns>The table entry, including the tensor's offset and byte size.</returns>
    public GgufTensorInfo AddTensor(string name, IReadOnlyList<ulong> shape, GgmlType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        EnsureDeclaring();
        if (Encoding.UTF8.GetByteCount(name) >= GgufHeaderParser.MaxTensorNameBytes)
        {
            throw new ArgumentException($"Tensor name '{name}' is {GgufHeaderParser.MaxTensorNameBytes} bytes or longer.", nameof(name));
        }
        if (!_tensorNames.Add(name))
        {
            throw new ArgumentException($"Tensor '{name}' was already declared.", nameof(name));
        }
        if (shape.Count is < 1 or > GgufHeaderParser.MaxDimensions || shape.Any(dimension => dimension > long.MaxValue))
        {
            throw new ArgumentException($"Tensor '{name}' needs 1 to {GgufHeaderParser.MaxDimensions} dimensions, each at most {long.MaxValue}.", nameof(shape));
        }
        if (!GgmlTypeInfo.IsKnown(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not a ggml type the pinned llama.cpp can store.");
        }
        ulong elements = shape.Aggregate(1UL, (product, dimension) => checked(product * dimension));
        int blockSize = GgmlTypeInfo.GetBlockSize(type);
        if (shape[0] % (ulong)blockSize != 0)
        {
            throw new ArgumentException(
                $"Tensor '{name}' rows of {shape[0]} elements are not a multiple of the {GgmlTypeInfo.GetName(type)} block size {blockSize}.", nameof(shape));
        }
        ulong byteSize = GgmlTypeInfo.TryGetByteSize(type, elements)!.Value;
        var tensor = new GgufTensorInfo(name, shape.ToArray(), type, _nextOffset, byteSize);
        _tensors.Add(tensor);
        _nextOffset += GgufHeaderParser.AlignUp(byteSize, _alignment);
        return tensor;
    }

    /// <summary>
    /// Appends bytes of the tensor currently being filled (tensors are filled in declaration order). A chunk
    /// may not run past the end of the current tensor; the writer moves on when a tensor is complete.
    /// The header is written before the first chunk, after which no metadata or tensors can be added.
    /// </summary>
    public void WriteTensorData(ReadOnlySpan<byte> data)
    {
        ThrowIfFinished();
        WriteHeaderOnce();
        if (data.IsEmpty)
        {
            return;
        }
        SkipEmptyTensors();
        if (_currentTensor >= _tensors.Count)
        {
            throw new InvalidOperationException("All declared tensors are already complete; no more data fits.");
        }
        GgufTensorInfo tensor = _tensors[_currentTensor];
        ulong remaining = tensor.ByteSize - _currentWritten;
        if ((ulong)data.Length > remaining)
        {
            throw new InvalidOperationException(
                $"Chunk of {data.Length} bytes runs past the end of tensor '{tensor.Name}' ({remaining} bytes left).");
        }
        _stream.Write(data);
        BytesWritten += data.Length;
        _currentWritten += (ulong)data.Length;
        if (_currentWritten == tensor.ByteSize)
        {
            CompleteTensor();
        }
    }

    /// <summary>Writes the header if no tensor data was written, checks every tensor is complete, and flushes.</summary>
    public void Finish()
    {
        ThrowIfFinished();
        WriteHeaderOnce();
        SkipEmptyTensors();
        if (_currentTensor < _tensors.Count)
        {
            GgufTensorInfo tensor = _tensors[_currentTensor];
            throw new InvalidOperationException(
                $"Tensor '{tensor.Name}' has {_currentWritten} of its {tensor.ByteSize} bytes; {_tensors.Count - _currentTensor} tensor(s) incomplete.");
        }
        _stream.Flush();
        _finished = true;
    }

    /// <summary>Closes the stream (unless left open); an unfinished file is left as written so far.</summary>
    public void Dispose()
    {
        _finished = true;
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private static FileStream OpenFile(string path, uint alignment)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckAlignment(alignment);   // before creating the file, so a bad argument leaves nothing behind
        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
    }

    private static void CheckAlignment(uint alignment)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "Alignment must be a power of two.");
        }
    }

    private void ThrowIfFinished()
    {
        if (_finished)
        {
            throw new InvalidOperationException("The writer is finished or disposed.");
        }
    }

    private void EnsureDeclaring()
    {
        ThrowIfFinished();
        if (_headerWritten)
        {
            throw new InvalidOperationException("The header is already written; declare metadata and tensors before writing data.");
        }
    }

    private void SkipEmptyTensors()
    {
        while (_currentTensor < _tensors.Count && _tensors[_currentTensor].ByteSize == 0)
        {
            CompleteTensor();
        }
    }

    private void CompleteTensor()
    {
        WritePadding();
        _currentTensor++;
        _currentWritten = 0;
    }

    private void WriteHeaderOnce()
    {
        if (_headerWritten)
        {
            return;
        }
        _headerWritten = true;
        var metadata = new List<KeyValuePair<string, GgufValue>>(_metadata);
        if (_alignment != GgufFile.DefaultAlignment)
        {
            metadata.Add(new(GgufFile.AlignmentKey, GgufValue.FromUInt32(_alignment)));
        }

        // Buffer the header so thousands of small writes (token lists) do not each reach the stream.
        using var header = new MemoryStream();
        using (var writer = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("GGUF"u8);
            writer.Write(3u);
            writer.Write((long)_tensors.Count);
            writer.Write((long)metadata.Count);
            foreach (var (key, value) in metadata)
            {
                WriteString(writer, key);
                writer.Write((int)value.Type);
                value.WritePayload(writer);
            }
            foreach (GgufTensorInfo tensor in _tensors)
            {
                WriteString(writer, tensor.Name);
                writer.Write((uint)tensor.Shape.Count);
                foreach (ulong dimension in tensor.Shape)
                {
                    writer.Write((long)dimension);
                }
                writer.Write((int)tensor.Type);
                writer.Write(tensor.Offset);
            }
        }
        header.WriteTo(_stream);
        BytesWritten += header.Length;
        if (_tensors.Count > 0)
        {
            WritePadding();
        }
    }

    private void WritePadding()
    {
        ulong padding = GgufHeaderParser.AlignUp((ulong)BytesWritten, _alignment) - (ulong)BytesWritten;
        Span<byte> zeros = stackalloc byte[256];
        zeros.Clear();
        for (ulong left = padding; left > 0; left -= Math.Min(left, 256UL))
        {
            _stream.Write(zeros[..(int)Math.Min(left, 256UL)]);
        }
        BytesWritten += (long)padding;
    }

    private static void WriteString(BinaryWriter writer, string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)utf8.Length);
        writer.Write(utf8);
    }
}
