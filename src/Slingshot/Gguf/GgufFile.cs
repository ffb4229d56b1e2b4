using System.Diagnostics.CodeAnalysis;

namespace Slingshot.Gguf;

/// <summary>
/// The header of a GGUF file (versions 2 and 3, little-endian): its metadata in file order and its tensor
/// table. Reading never loads tensor data, so opening a multi-gigabyte model costs only its metadata.
/// Use <see cref="GgufValidator.Validate"/> before a file reaches llama.cpp; <see cref="Read"/> alone checks
/// only that the header parses.
/// </summary>
public sealed class GgufFile
{
    /// <summary>Alignment of tensor data when <c>general.alignment</c> is absent.</summary>
    public const uint DefaultAlignment = 32;

    /// <summary>Metadata key holding the architecture name (for example "llama").</summary>
    public const string ArchitectureKey = "general.architecture";

    /// <summary>Metadata key overriding <see cref="DefaultAlignment"/>.</summary>
    public const string AlignmentKey = "general.alignment";

    private readonly Dictionary<string, GgufValue> _byKey;
    private readonly Dictionary<string, GgufTensorInfo> _tensorsByName;

    internal GgufFile(
        string path, long fileLength, uint version, IReadOnlyList<KeyValuePair<string, GgufValue>> metadata,
        IReadOnlyList<GgufTensorInfo> tensors, uint alignment, long dataOffset)
    {
        Path = path;
        FileLength = fileLength;
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        Alignment = alignment;
        DataOffset = dataOffset;
        _byKey = metadata.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        _tensorsByName = tensors.ToDictionary(tensor => tensor.Name, StringComparer.Ordinal);
    }

    /// <summary>The file that was read.</summary>
    public string Path { get; }

    /// <summary>Length of the file in bytes when it was read.</summary>
    public long FileLength { get; }

    /// <summary>GGUF format version (2 or 3).</summary>
    public uint Version { get; }

    /// <summary>Metadata entries in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata { get; }

    /// <summary>Tensor table in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>Alignment of the data section and of each tensor in it.</summary>
    public uint Alignment { get; }

    /// <summary>Absolute file offset where the data section (and the first tensor) starts.</summary>
    public long DataOffset { get; }

    /// <summary>The architecture named by <c>general.architecture</c>, or null when absent or not a string.</summary>
    public string? Architecture => TryGet(ArchitectureKey, out string? architecture) ? architecture : null;

    /// <summary>Reads the header, metadata and tensor table of a GGUF file.</summary>
    /// <exception cref="InvalidModelFileException">The file is missing, unreadable or its header is malformed.</exception>
    public static GgufFile Read(string path) => GgufHeaderParser.Parse(path);

    /// <summary>Whether the metadata has <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => _byKey.ContainsKey(key);

    /// <summary>The metadata value of <paramref name="key"/>, if present.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out GgufValue value) => _byKey.TryGetValue(key, out value);

    /// <summary>
    /// The scalar of <paramref name="key"/> when it exists and its GGUF type is exactly the one
    /// <typeparamref name="T"/> maps to (see <see cref="GgufValue.TryGet{T}"/>).
    /// </summary>
    public bool TryGet<T>(string key, [MaybeNullWhen(false)] out T value)
    {
        if (_byKey.TryGetValue(key, out GgufValue? raw))
        {
            return raw.TryGet(out value);
        }
        value = default;
        return false;
    }

    /// <summary>The metadata value of <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The key is absent.</exception>
    public GgufValue GetValue(string key) =>
        _byKey.TryGetValue(key, out GgufValue? value) ? value : throw new KeyNotFoundException($"Metadata key '{key}' is absent.");

    /// <summary>The string value of <paramref name="key"/>.</summary>
    public string GetString(string key) => GetValue(key).AsString();

    /// <summary>The unsigned 32-bit value of <paramref name="key"/>.</summary>
    public uint GetUInt32(string key) => GetValue(key).AsUInt32();

    /// <summary>The signed 32-bit value of <paramref name="key"/>.</summary>
    public int GetInt32(string key) => GetValue(key).AsInt32();

    /// <summary>The unsigned 64-bit value of <paramref name="key"/>.</summary>
    public ulong GetUInt64(string key) => GetValue(key).AsUInt64();

    /// <summary>The 32-bit float value of <paramref name="key"/>.</summary>
    public float GetFloat32(string key) => GetValue(key).AsFloat32();

    /// <summary>The bool value of <paramref name="key"/>.</summary>
    public bool GetBool(string key) => GetValue(key).AsBool();

    /// <summary>The string array of <paramref name="key"/>, decoded lazily.</summary>
    public IReadOnlyList<string> GetStringArray(string key) => GetValue(key).AsStringArray();

    /// <summary>A copy of the numeric array of <paramref name="key"/>.</summary>
    public T[] GetArray<T>(string key) where T : unmanaged => GetValue(key).ToArray<T>();

    /// <summary>The tensor called <paramref name="name"/>, or null.</summary>
    public GgufTensorInfo? FindTensor(string name) => _tensorsByName.GetValueOrDefault(name);
}
