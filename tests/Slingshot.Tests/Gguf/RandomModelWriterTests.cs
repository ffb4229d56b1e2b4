using Slingshot.Gguf;

namespace Slingshot.Tests.Gguf;

public sealed class RandomModelWriterTests
{
    private static readonly LlamaShape s_tiny = LlamaShape.Presets["tiny"];

    [Fact]
    public void Write_TinyShape_WritesValidLlamaModelWithAllHyperparameters()
    {
        using var temp = new TempDirectory();
        string path = temp.File("tiny.gguf");

        RandomModelWriter.Write(path, s_tiny);

        GgufFile file = GgufValidator.Validate(path);
        Assert.Equal(3u, file.Version);
        Assert.Equal("llama", file.Architecture);
        Assert.Equal("tiny", file.GetString("general.name"));
        Assert.Equal(7u, file.GetUInt32("general.file_type"));
        Assert.Equal(512u, file.GetUInt32("llama.vocab_size"));
        Assert.Equal(512u, file.GetUInt32("llama.context_length"));
        Assert.Equal(64u, file.GetUInt32("llama.embedding_length"));
        Assert.Equal(2u, file.GetUInt32("llama.block_count"));
        Assert.Equal(128u, file.GetUInt32("llama.feed_forward_length"));
        Assert.Equal(4u, file.GetUInt32("llama.attention.head_count"));
        Assert.Equal(2u, file.GetUInt32("llama.attention.head_count_kv"));
        Assert.Equal(16u, file.GetUInt32("llama.rope.dimension_count"));
        Assert.Equal(10000f, file.GetFloat32("llama.rope.freq_base"));
        Assert.Equal(1e-5f, file.GetFloat32("llama.attention.layer_norm_rms_epsilon"));
        Assert.Equal(RandomModelOptions.ChatMLTemplate, file.GetString("tokenizer.chat_template"));

        Assert.Equal(3 + 2 * 9, file.Tensors.Count);
        Assert.Equal([64UL, 512UL], file.FindTensor("token_embd.weight")!.Shape);
        Assert.Equal([64UL, 512UL], file.FindTensor("output.weight")!.Shape);
        Assert.Equal([64UL, 32UL], file.FindTensor("blk.1.attn_k.weight")!.Shape);
        Assert.Equal([64UL, 32UL], file.FindTensor("blk.1.attn_v.weight")!.Shape);
        Assert.Equal([64UL, 64UL], file.FindTensor("blk.1.attn_output.weight")!.Shape);
        Assert.Equal([128UL, 64UL], file.FindTensor("blk.1.ffn_down.weight")!.Shape);
        Assert.Equal([64UL, 128UL], file.FindTensor("blk.1.ffn_up.weight")!.Shape);
        Assert.Equal(GgmlType.Q8_0, file.FindTensor("blk.0.attn_q.weight")!.Type);
        Assert.Equal(GgmlType.F32, file.FindTensor("blk.0.ffn_norm.weight")!.Type);
        Assert.Equal((ulong)s_tiny.ParameterCount, file.Tensors.Aggregate(0UL, (sum, tensor) => sum + tensor.ElementCount));

        // Norm weights are ones.
        GgufTensorInfo norm = file.FindTensor("output_norm.weight")!;
        byte[] bytes = File.ReadAllBytes(path);
        Assert.All(
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan((int)(file.DataOffset + (long)norm.Offset), 64 * 4)).ToArray(),
            value => Assert.Equal(1f, value));
    }

    [Fact]
    public void Write_TinyShape_WritesSentencePieceTokenizerOfExactVocabSize()
    {
        using var temp = new TempDirectory();
        string path = temp.File("tiny.gguf");

        RandomModelWriter.Write(path, s_tiny);

        GgufFile file = GgufFile.Read(path);
        IReadOnlyList<string> tokens = file.GetStringArray("tokenizer.ggml.tokens");
        int[] types = file.GetArray<int>("tokenizer.ggml.token_type");
        float[] scores = file.GetArray<float>("tokenizer.ggml.scores");
        Assert.Equal("llama", file.GetString("tokenizer.ggml.model"));
        Assert.Equal(512, tokens.Count);
        Assert.Equal(512, tokens.Distinct().Count());
        Assert.Equal(["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"], tokens.Take(5));
        Assert.Equal([2, 3, 3, 3, 3], types.Take(5));
        Assert.Equal("<0x00>", tokens[5]);
        Assert.Equal("<0x0A>", tokens[5 + 10]);
        Assert.Equal("<0xFF>", tokens[5 + 255]);
        Assert.All(types.Skip(5).Take(256), type => Assert.Equal(6, type));
        Assert.All(types.Skip(261), type => Assert.Equal(1, type));
        Assert.Equal("\u2581", tokens[261]);
        for (int i = 262; i < 512; i++)
        {
            Assert.True(scores[i] < scores[i - 1], $"score of token {i} does not decrease");
        }
        Assert.Equal(1u, file.GetUInt32("tokenizer.ggml.bos_token_id"));
        Assert.Equal(2u, file.GetUInt32("tokenizer.ggml.eos_token_id"));
        Assert.Equal(0u, file.GetUInt32("tokenizer.ggml.unknown_token_id"));
        Assert.True(file.GetBool("tokenizer.ggml.add_bos_token"));
        Assert.False(file.GetBool("tokenizer.ggml.add_eos_token"));
    }

    [Fact]
    public void Write_LargerVocab_HasWholeWordsAndUniqueFill()
    {
        using var temp = new TempDirectory();
        string path = temp.File("vocab.gguf");
        LlamaShape shape = LlamaShape.Parse("vocab=20000,embd=32,layers=1,heads=2,ff=32");

        RandomModelWriter.Write(path, shape, new RandomModelOptions { TensorType = GgmlType.F32 });

        IReadOnlyList<string> tokens = GgufValidator.Validate(path).GetStringArray("tokenizer.ggml.tokens");
        Assert.Equal(20000, tokens.Count);
        Assert.Contains("\u2581Hello", tokens);
        Assert.Contains("\u2581world", tokens);
        Assert.Contains("\u2581the", tokens);
    }

    [Fact]
    public void Write_SameSeedTwice_IsByteIdentical()
    {
        using var temp = new TempDirectory();
        string first = temp.File("a.gguf");
        string second = temp.File("b.gguf");
        string other = temp.File("c.gguf");

        RandomModelWriter.Write(first, s_tiny, new RandomModelOptions { Seed = 7 });
        RandomModelWriter.Write(second, s_tiny, new RandomModelOptions { Seed = 7 });
        RandomModelWriter.Write(other, s_tiny, new RandomModelOptions { Seed = 8 });

        byte[] a = File.ReadAllBytes(first);
        Assert.Equal(a, File.ReadAllBytes(second));
        byte[] c = File.ReadAllBytes(other);
        Assert.Equal(a.Length, c.Length);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(GgmlType.F32, 0u)]
    [InlineData(GgmlType.F16, 1u)]
    public void Write_FloatTypes_UseThatTypeForMatrices(GgmlType type, uint fileType)
    {
        using var temp = new TempDirectory();
        string path = temp.File("float.gguf");

        RandomModelWriter.Write(path, s_tiny, new RandomModelOptions { TensorType = type, ChatTemplate = null });

        GgufFile file = GgufValidator.Validate(path);
        Assert.Equal(fileType, file.GetUInt32("general.file_type"));
        Assert.Equal(type, file.FindTensor("blk.0.ffn_gate.weight")!.Type);
        Assert.False(file.ContainsKey("tokenizer.chat_template"));
    }

    [Fact]
    public void Write_TiedEmbeddings_OmitsOutputTensor()
    {
        using var temp = new TempDirectory();
        string path = temp.File("tied.gguf");

        RandomModelWriter.Write(path, s_tiny with { TiedEmbeddings = true });

        Assert.Null(GgufValidator.Validate(path).FindTensor("output.weight"));
    }

    [Fact]
    public void Write_Progress_ReportsUpToOne()
    {
        using var temp = new TempDirectory();
        var reports = new List<double>();

        RandomModelWriter.Write(temp.File("p.gguf"), s_tiny, new RandomModelOptions { Progress = new SynchronousProgress(reports.Add) });

        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1], precision: 9);
        Assert.Equal(reports.Order(), reports);
    }

    [Fact]
    public void Write_Q8WithWidthNotMultipleOf32_ThrowsClearError()
    {
        using var temp = new TempDirectory();
        LlamaShape shape = s_tiny with { FeedForwardLength = 172 };

        var error = Assert.Throws<ArgumentException>(() => RandomModelWriter.Write(temp.File("x.gguf"), shape));

        Assert.StartsWith("Q8_0 needs embd (64) and ff (172) to be multiples of 32; use F16 or F32", error.Message);
        Assert.False(File.Exists(temp.File("x.gguf")));
    }

    [Fact]
    public void Write_VocabBelow512_ThrowsClearError()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<ArgumentException>(() => RandomModelWriter.Write(temp.File("x.gguf"), s_tiny with { VocabSize = 300 }));

        Assert.StartsWith("Model shape 'tiny' has vocab 300; the generated tokenizer needs at least 512 tokens.", error.Message);
    }

    [Fact]
    public void Write_UnsupportedTensorType_Throws()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<ArgumentException>(
            () => RandomModelWriter.Write(temp.File("x.gguf"), s_tiny, new RandomModelOptions { TensorType = GgmlType.Q4_0 }));

        Assert.StartsWith("Tensor type Q4_0 is not supported for random models; use F32, F16 or Q8_0.", error.Message);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the reports in order, at once.</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
