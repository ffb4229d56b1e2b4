using Slingshot.Gguf;

namespace Slingshot.Tests.Gguf;

public sealed class GgufFileTests
{
    [Fact]
    public void Read_Stories260K_ReturnsHeaderMetadataAndTensorTable()
    {
        GgufFile file = GgufFile.Read(GgufTestFiles.Stories260K);

        Assert.Equal(3u, file.Version);
        Assert.Equal("llama", file.Architecture);
        Assert.Equal(32u, file.Alignment);
        Assert.Equal(1_185_376, file.FileLength);
        Assert.Equal(14_176, file.DataOffset);
        Assert.Equal(5u, file.GetUInt32("llama.block_count"));
        Assert.Equal(64u, file.GetUInt32("llama.embedding_length"));
        Assert.Equal(8u, file.GetUInt32("llama.attention.head_count"));
        Assert.Equal(4u, file.GetUInt32("llama.attention.head_count_kv"));
        Assert.Equal(172u, file.GetUInt32("llama.feed_forward_length"));
        Assert.Equal(1e-5f, file.GetFloat32("llama.attention.layer_norm_rms_epsilon"));
        Assert.Equal("llama", file.GetString("tokenizer.ggml.model"));

        IReadOnlyList<string> tokens = file.GetStringArray("tokenizer.ggml.tokens");
        Assert.Equal(512, tokens.Count);
        Assert.Equal(["<unk>", "<s>", "</s>", "<0x00>"], tokens.Take(4));
        Assert.Equal(512, file.GetValue("tokenizer.ggml.scores").AsSpan<float>().Length);
        Assert.Equal(512, file.GetArray<int>("tokenizer.ggml.token_type").Length);

        Assert.Equal(48, file.Tensors.Count);
        Assert.All(file.Tensors, tensor => Assert.Equal(GgmlType.F32, tensor.Type));
        GgufTensorInfo embedding = file.FindTensor("token_embd.weight")!;
        Assert.Equal([64UL, 512UL], embedding.Shape);
        Assert.Equal(64UL * 512 * 4, embedding.ByteSize);
        Assert.Equal([64UL, 172UL], file.FindTensor("blk.4.ffn_gate.weight")!.Shape);
        Assert.Equal([172UL, 64UL], file.FindTensor("blk.4.ffn_down.weight")!.Shape);
        Assert.Equal([64UL, 32UL], file.FindTensor("blk.0.attn_k.weight")!.Shape);
        GgufTensorInfo last = file.Tensors[^1];
        Assert.Equal((ulong)file.FileLength, (ulong)file.DataOffset + last.Offset + last.ByteSize);
    }

    [Fact]
    public void TryGet_WrongTypeOrMissingKey_ReturnsFalse()
    {
        GgufFile file = GgufFile.Read(GgufTestFiles.Stories260K);

        Assert.True(file.TryGet("llama.block_count", out uint blocks));
        Assert.Equal(5u, blocks);
        Assert.False(file.TryGet("llama.block_count", out int _));
        Assert.False(file.TryGet("no.such.key", out uint _));
        Assert.True(file.TryGet("general.architecture", out string? architecture));
        Assert.Equal("llama", architecture);
        Assert.Throws<InvalidOperationException>(() => file.GetString("llama.block_count"));
        Assert.Throws<KeyNotFoundException>(() => file.GetValue("no.such.key"));
    }

    [Fact]
    public void Read_VersionTwoFile_IsAccepted()
    {
        using var temp = new TempDirectory();
        byte[] bytes = GgufTestFiles.SmallValidModel();
        bytes[4] = 2;   // GGUF v2 has the same layout as v3 on little-endian machines.

        GgufFile file = GgufFile.Read(temp.Write("v2.gguf", bytes));

        Assert.Equal(2u, file.Version);
        Assert.Equal(2, file.Tensors.Count);
    }
}
