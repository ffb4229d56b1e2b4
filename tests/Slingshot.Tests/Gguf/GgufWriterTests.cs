using System.Text;
using Slingshot.Gguf;

namespace Slingshot.Tests.Gguf;

public sealed class GgufWriterTests
{
    [Fact]
    public void WriteThenRead_EveryValueTypeAndTensor_RoundTrips()
    {
        using var temp = new TempDirectory();
        string path = temp.File("round-trip.gguf");
        byte[] q4k = Enumerable.Range(0, 144 * 2).Select(i => (byte)i).ToArray();
        byte[] f32 = Enumerable.Range(0, 12).Select(i => (byte)(200 + i)).ToArray();

        using (var writer = new GgufWriter(path, alignment: 64))
        {
            writer.AddString("general.architecture", "llama");
            writer.AddMetadata("u8", GgufValue.FromUInt8(250));
            writer.AddMetadata("i8", GgufValue.FromInt8(-5));
            writer.AddMetadata("u16", GgufValue.FromUInt16(65000));
            writer.AddMetadata("i16", GgufValue.FromInt16(-30000));
            writer.AddUInt32("u32", 4_000_000_000);
            writer.AddInt32("i32", -2_000_000_000);
            writer.AddMetadata("u64", GgufValue.FromUInt64(ulong.MaxValue - 1));
            writer.AddMetadata("i64", GgufValue.FromInt64(long.MinValue + 1));
            writer.AddFloat32("f32", 3.5f);
            writer.AddMetadata("f64", GgufValue.FromFloat64(-2.25));
            writer.AddBool("bool", true);
            writer.AddString("unicode", "héllo ▁ 世界");
            writer.AddStringArray("strings", ["a", "", "▁world", "<0x0A>"]);
            writer.AddArray<int>("ints", [1, -2, 3]);
            writer.AddArray<float>("floats", [0.5f, -1f]);
            writer.AddArray<bool>("bools", [true, false, true]);
            writer.AddArray<ulong>("u64s", [1UL, ulong.MaxValue]);
            writer.AddTensor("f32.weight", [3], GgmlType.F32);
            writer.AddTensor("q4k.weight", [256, 2], GgmlType.Q4_K);
            foreach (byte b in f32)
            {
                writer.WriteTensorData([b]);   // one byte at a time: chunks need not match anything
            }
            writer.WriteTensorData(q4k.AsSpan(0, 100));
            writer.WriteTensorData(q4k.AsSpan(100));
            writer.Finish();
        }

        GgufFile file = GgufFile.Read(path);
        Assert.Equal(3u, file.Version);
        Assert.Equal(64u, file.Alignment);
        Assert.Equal(0, file.DataOffset % 64);
        Assert.Equal((byte)250, file.GetValue("u8").AsUInt8());
        Assert.Equal((sbyte)-5, file.GetValue("i8").AsInt8());
        Assert.Equal((ushort)65000, file.GetValue("u16").AsUInt16());
        Assert.Equal((short)-30000, file.GetValue("i16").AsInt16());
        Assert.Equal(4_000_000_000u, file.GetUInt32("u32"));
        Assert.Equal(-2_000_000_000, file.GetInt32("i32"));
        Assert.Equal(ulong.MaxValue - 1, file.GetUInt64("u64"));
        Assert.Equal(long.MinValue + 1, file.GetValue("i64").AsInt64());
        Assert.Equal(3.5f, file.GetFloat32("f32"));
        Assert.Equal(-2.25, file.GetValue("f64").AsFloat64());
        Assert.True(file.GetBool("bool"));
        Assert.Equal("héllo ▁ 世界", file.GetString("unicode"));
        Assert.Equal(["a", "", "▁world", "<0x0A>"], file.GetStringArray("strings"));
        Assert.Equal([1, -2, 3], file.GetArray<int>("ints"));
        Assert.Equal([0.5f, -1f], file.GetArray<float>("floats"));
        Assert.Equal([true, false, true], file.GetArray<bool>("bools"));
        Assert.Equal([1UL, ulong.MaxValue], file.GetArray<ulong>("u64s"));
        Assert.Equal(
            ["general.architecture", "u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f32", "f64", "bool", "unicode",
             "strings", "ints", "floats", "bools", "u64s", "general.alignment"],
            file.Metadata.Select(pair => pair.Key));

        Assert.Equal(2, file.Tensors.Count);
        GgufTensorInfo first = file.Tensors[0];
        GgufTensorInfo second = file.Tensors[1];
        Assert.Equal(("f32.weight", GgmlType.F32, 0UL, 12UL), (first.Name, first.Type, first.Offset, first.ByteSize));
        Assert.Equal(("q4k.weight", GgmlType.Q4_K, 64UL, 288UL), (second.Name, second.Type, second.Offset, second.ByteSize));
        Assert.Equal([256UL, 2UL], second.Shape);

        byte[] all = File.ReadAllBytes(path);
        Assert.Equal(f32, all.AsSpan((int)file.DataOffset, 12).ToArray());
        Assert.All(all.AsSpan((int)file.DataOffset + 12, 52).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(q4k, all.AsSpan((int)file.DataOffset + 64, q4k.Length).ToArray());
        Assert.Equal(0, all.Length % 64);
    }

    [Fact]
    public void WriteTensorData_ChunkPastTensorEnd_Throws()
    {
        using var stream = new MemoryStream();
        using var writer = new GgufWriter(stream);
        writer.AddTensor("t", [4], GgmlType.F32);

        var error = Assert.Throws<InvalidOperationException>(() => writer.WriteTensorData(new byte[20]));
        Assert.Contains("runs past the end of tensor 't'", error.Message);
    }

    [Fact]
    public void Finish_IncompleteTensor_Throws()
    {
        using var stream = new MemoryStream();
        using var writer = new GgufWriter(stream);
        writer.AddTensor("t", [4], GgmlType.F32);
        writer.WriteTensorData(new byte[8]);

        var error = Assert.Throws<InvalidOperationException>(writer.Finish);
        Assert.Contains("'t' has 8 of its 16 bytes", error.Message);
    }

    [Fact]
    public void AddTensor_InvalidDeclarations_Throw()
    {
        using var stream = new MemoryStream();
        using var writer = new GgufWriter(stream);
        writer.AddTensor("t", [32], GgmlType.Q8_0);

        Assert.Contains("already declared", Assert.Throws<ArgumentException>(() => writer.AddTensor("t", [4], GgmlType.F32)).Message);
        Assert.Contains("block size 32", Assert.Throws<ArgumentException>(() => writer.AddTensor("u", [33], GgmlType.Q8_0)).Message);
        Assert.Throws<ArgumentException>(() => writer.AddTensor("v", [1, 1, 1, 1, 1], GgmlType.F32));
        Assert.Throws<ArgumentException>(() => writer.AddTensor(new string('x', 64), [4], GgmlType.F32));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.AddTensor("w", [4], (GgmlType)4));
        Assert.Throws<ArgumentException>(() => writer.AddMetadata("general.alignment", GgufValue.FromUInt32(64)));
    }

    [Fact]
    public void AddMetadata_AfterDataStarted_Throws()
    {
        using var stream = new MemoryStream();
        using var writer = new GgufWriter(stream);
        writer.AddTensor("t", [4], GgmlType.F32);
        writer.WriteTensorData(new byte[4]);

        Assert.Throws<InvalidOperationException>(() => writer.AddString("late", "value"));
        Assert.Throws<InvalidOperationException>(() => writer.AddTensor("late", [4], GgmlType.F32));
    }

    [Fact]
    public void Finish_NoTensors_WritesHeaderWithoutPadding()
    {
        using var stream = new MemoryStream();
        using (var writer = new GgufWriter(stream, leaveOpen: true))
        {
            writer.AddString("k", "v");
            writer.Finish();
        }

        // magic, version, 2 counts, then key (8 + 1), type (4), value (8 + 1)
        Assert.Equal(24 + 9 + 4 + 9, stream.Length);
        Assert.Equal("GGUF", Encoding.ASCII.GetString(stream.ToArray(), 0, 4));
    }
}
