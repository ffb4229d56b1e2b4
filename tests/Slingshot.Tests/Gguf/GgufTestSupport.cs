using System.Text;
using Slingshot.Gguf;

namespace Slingshot.Tests.Gguf;

/// <summary>A temporary directory deleted when the test ends.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "slingshot-gguf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail the test.
        }
    }
}

/// <summary>Builds GGUF bytes by hand, so tests can produce exactly the malformation they need.</summary>
internal sealed class GgufBytes
{
    private readonly MemoryStream _stream = new();
    private readonly BinaryWriter _writer;

    private GgufBytes() => _writer = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);

    public static GgufBytes Header(uint version = 3, long tensors = 0, long metadata = 0)
    {
        var bytes = new GgufBytes();
        bytes._writer.Write("GGUF"u8);
        return bytes.UInt32(version).Int64(tensors).Int64(metadata);
    }

    public long Length => _stream.Length;

    public GgufBytes UInt32(uint value) { _writer.Write(value); return this; }

    public GgufBytes Int32(int value) { _writer.Write(value); return this; }

    public GgufBytes UInt64(ulong value) { _writer.Write(value); return this; }

    public GgufBytes Int64(long value) { _writer.Write(value); return this; }

    public GgufBytes Bytes(params byte[] value) { _writer.Write(value); return this; }

    public GgufBytes String(string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        return UInt64((ulong)utf8.Length).Bytes(utf8);
    }

    public GgufBytes KvString(string key, string value) => String(key).Int32((int)GgufValueType.String).String(value);

    public GgufBytes KvUInt32(string key, uint value) => String(key).Int32((int)GgufValueType.UInt32).UInt32(value);

    public GgufBytes KvStringArray(string key, params string[] values)
    {
        String(key).Int32((int)GgufValueType.Array).Int32((int)GgufValueType.String).UInt64((ulong)values.Length);
        foreach (string value in values)
        {
            String(value);
        }
        return this;
    }

    public GgufBytes Tensor(string name, ulong[] shape, int type, ulong offset)
    {
        String(name).UInt32((uint)shape.Length);
        foreach (ulong dimension in shape)
        {
            UInt64(dimension);
        }
        return Int32(type).UInt64(offset);
    }

    public GgufBytes PadTo(int alignment)
    {
        while (_stream.Length % alignment != 0)
        {
            _writer.Write((byte)0);
        }
        return this;
    }

    public GgufBytes Zeros(int count) => Bytes(new byte[count]);

    public byte[] ToArray()
    {
        _writer.Flush();
        return _stream.ToArray();
    }
}

/// <summary>Paths and small valid files shared by the GGUF tests.</summary>
internal static class GgufTestFiles
{
    /// <summary>The real pretrained tiny model (see shared/models/README.md).</summary>
    public static string Stories260K => TestPaths.Stories260K;

    /// <summary>A minimal valid model file: llama architecture, a few values of every kind, two tensors.</summary>
    public static byte[] SmallValidModel()
    {
        using var stream = new MemoryStream();
        using (var writer = new GgufWriter(stream, leaveOpen: true))
        {
            writer.AddString("general.architecture", "llama");
            writer.AddUInt32("llama.block_count", 1);
            writer.AddFloat32("llama.rope.freq_base", 10000f);
            writer.AddBool("tokenizer.ggml.add_bos_token", true);
            writer.AddStringArray("tokenizer.ggml.tokens", ["<unk>", "<s>", "</s>", "\u2581a"]);
            writer.AddArray<float>("tokenizer.ggml.scores", [0f, 0f, 0f, -1f]);
            writer.AddTensor("a.weight", [8], GgmlType.F32);
            writer.AddTensor("b.weight", [32, 2], GgmlType.Q8_0);
            writer.WriteTensorData(new byte[32]);
            writer.WriteTensorData(new byte[68]);
            writer.Finish();
        }
        return stream.ToArray();
    }
}
