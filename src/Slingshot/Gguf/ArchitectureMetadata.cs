namespace Slingshot.Gguf;

/// <summary>
/// Reads a model's <c>{architecture}.*</c> hyperparameters with llama.cpp's own type rules
/// (llama-model-loader.cpp): a scalar counts only when its GGUF type is exactly the one llama.cpp reads (it throws a
/// clean error for any other), and a per-layer value is a UInt32 scalar or an array of UInt32, Int32 or Bool with
/// one element per layer. A value llama.cpp would refuse with an error reads as absent here, so the checks built on
/// it look only at values llama.cpp would go on to use.
/// </summary>
internal sealed class ArchitectureMetadata(GgufFile file, string architecture)
{
    public GgufFile File { get; } = file;

    public string Architecture { get; } = architecture;

    /// <summary>The full key of an architecture hyperparameter, for example "llama.block_count".</summary>
    public string Key(string suffix) => $"{Architecture}.{suffix}";

    public bool Has(string suffix) => File.ContainsKey(Key(suffix));

    public uint? UInt32(string suffix) => File.TryGet(Key(suffix), out uint value) ? value : null;

    public float? Float32(string suffix) => File.TryGet(Key(suffix), out float value) ? value : null;

    public bool? Bool(string suffix) => File.TryGet(Key(suffix), out bool value) ? value : null;

    public string? String(string suffix) => File.TryGet(Key(suffix), out string? value) ? value : null;

    /// <summary>
    /// A value llama.cpp reads per layer (<c>get_key_or_arr</c>): a UInt32 repeated for every layer, or an array of
    /// exactly <paramref name="layers"/> UInt32, Int32 (read as unsigned) or Bool elements. Null when absent or of a
    /// shape llama.cpp refuses with an error.
    /// </summary>
    public uint[]? PerLayer(string suffix, int layers)
    {
        if (!File.TryGetValue(Key(suffix), out GgufValue? value))
        {
            return null;
        }
        if (!value.IsArray)
        {
            return value.TryGet(out uint scalar) ? Enumerable.Repeat(scalar, layers).ToArray() : null;
        }
        if (value.Length != layers)
        {
            return null;
        }
        return value.ElementType switch
        {
            GgufValueType.UInt32 => value.ToArray<uint>(),
            GgufValueType.Int32 => value.AsSpan<int>().ToArray().Select(x => (uint)x).ToArray(),
            GgufValueType.Bool => value.AsSpan<bool>().ToArray().Select(x => x ? 1u : 0u).ToArray(),
            _ => null,
        };
    }
}
