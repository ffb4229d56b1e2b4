using Slingshot.Gguf;

namespace Slingshot.Tests.Gguf;

public sealed class LoraAdapterWriterTests
{
    private static readonly LlamaShape s_tiny = LlamaShape.Presets["tiny"];

    [Fact]
    public void Write_Defaults_WritesAdapterMetadataAndQvPairsForEveryLayer()
    {
        using var temp = new TempDirectory();
        string path = temp.File("lora.gguf");

        LoraAdapterWriter.Write(path, s_tiny);

        GgufFile file = GgufValidator.Validate(path);
        Assert.Equal("llama", file.Architecture);
        Assert.Equal("adapter", file.GetString("general.type"));
        Assert.Equal("lora", file.GetString("adapter.type"));
        Assert.Equal(8f, file.GetFloat32("adapter.lora.alpha"));
        Assert.Equal(
            ["blk.0.attn_q.weight.lora_a", "blk.0.attn_q.weight.lora_b", "blk.0.attn_v.weight.lora_a", "blk.0.attn_v.weight.lora_b",
             "blk.1.attn_q.weight.lora_a", "blk.1.attn_q.weight.lora_b", "blk.1.attn_v.weight.lora_a", "blk.1.attn_v.weight.lora_b"],
            file.Tensors.Select(tensor => tensor.Name));
        Assert.All(file.Tensors, tensor => Assert.Equal(GgmlType.F32, tensor.Type));
        // llama-adapter.cpp: model ne[0] == a.ne[0], model ne[1] == b.ne[1], a.ne[1] == b.ne[0] (the rank).
        Assert.Equal([64UL, 4UL], file.FindTensor("blk.0.attn_q.weight.lora_a")!.Shape);
        Assert.Equal([4UL, 64UL], file.FindTensor("blk.0.attn_q.weight.lora_b")!.Shape);
        Assert.Equal([64UL, 4UL], file.FindTensor("blk.0.attn_v.weight.lora_a")!.Shape);
        Assert.Equal([4UL, 32UL], file.FindTensor("blk.0.attn_v.weight.lora_b")!.Shape);
    }

    [Fact]
    public void Write_CustomTargetsAndRank_UsesMatchingShapes()
    {
        using var temp = new TempDirectory();
        string path = temp.File("lora.gguf");

        LoraAdapterWriter.Write(path, s_tiny, new LoraAdapterOptions { Rank = 8, Alpha = 16, Targets = ["ffn_down", "output"] });

        GgufFile file = GgufValidator.Validate(path);
        Assert.Equal([128UL, 8UL], file.FindTensor("blk.1.ffn_down.weight.lora_a")!.Shape);
        Assert.Equal([8UL, 64UL], file.FindTensor("blk.1.ffn_down.weight.lora_b")!.Shape);
        Assert.Equal([64UL, 8UL], file.FindTensor("output.weight.lora_a")!.Shape);
        Assert.Equal([8UL, 512UL], file.FindTensor("output.weight.lora_b")!.Shape);
        Assert.Equal(6, file.Tensors.Count);
    }

    [Fact]
    public void Write_SameSeed_IsByteIdentical()
    {
        using var temp = new TempDirectory();

        LoraAdapterWriter.Write(temp.File("a.gguf"), s_tiny);
        LoraAdapterWriter.Write(temp.File("b.gguf"), s_tiny);
        LoraAdapterWriter.Write(temp.File("c.gguf"), s_tiny, new LoraAdapterOptions { Seed = 2 });

        Assert.Equal(File.ReadAllBytes(temp.File("a.gguf")), File.ReadAllBytes(temp.File("b.gguf")));
        Assert.NotEqual(File.ReadAllBytes(temp.File("a.gguf")), File.ReadAllBytes(temp.File("c.gguf")));
    }

    [Theory]
    [InlineData("attn_x", "Unknown LoRA target 'attn_x'")]
    [InlineData("output", "Model shape 'tiny' ties its embeddings, so it has no output matrix to adapt.")]
    public void Write_UnusableTarget_Throws(string target, string expectedStart)
    {
        using var temp = new TempDirectory();
        LlamaShape tied = s_tiny with { TiedEmbeddings = true };

        var error = Assert.Throws<ArgumentException>(
            () => LoraAdapterWriter.Write(temp.File("x.gguf"), tied, new LoraAdapterOptions { Targets = [target] }));

        Assert.StartsWith(expectedStart, error.Message);
    }

    [Fact]
    public void Write_RankZero_Throws()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<ArgumentException>(
            () => LoraAdapterWriter.Write(temp.File("x.gguf"), s_tiny, new LoraAdapterOptions { Rank = 0 }));

        Assert.StartsWith("LoRA rank 0 must be at least 1.", error.Message);
    }
}
