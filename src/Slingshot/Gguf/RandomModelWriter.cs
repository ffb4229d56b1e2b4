namespace Slingshot.Gguf;

/// <summary>
/// Writes complete random-weight Llama-architecture GGUF v3 models that the pinned llama.cpp loads and runs:
/// every <c>llama.*</c> hyperparameter, every tensor with the shape llama.cpp checks, and a working
/// SentencePiece-style tokenizer with ChatML control tokens. Generation streams in chunks, so memory stays
/// small at any size, and is deterministic: the same shape and options give a byte-identical file.
/// </summary>
public static class RandomModelWriter
{
    /// <summary>RoPE base frequency written to the model (Llama 2's value).</summary>
    public const float RopeFrequencyBase = 10000f;

    /// <summary>RMS-norm epsilon written to the model.</summary>
    public const float RmsNormEpsilon = 1e-5f;

    private const int ChunkBytes = 1 << 20;

    /// <summary>Writes the model to <paramref name="path"/>, replacing any file there only once it is complete.</summary>
    /// <exception cref="ArgumentException">The shape or options cannot make a loadable model (for example Q8_0 with a
    /// width that is not a multiple of 32, or a vocabulary under 512 tokens).</exception>
    public static void Write(string path, LlamaShape shape, RandomModelOptions? options = null) => Write(path, shape, options, tokenizer: null);

    /// <summary>
    /// Writes the model with the given <c>tokenizer.*</c> metadata (a real model's vocabulary, or one built from
    /// data) instead of the generated one; the shape's vocabulary size must match it. Used to train models from scratch.
    /// </summary>
    internal static void Write(string path, LlamaShape shape, RandomModelOptions? options, IReadOnlyList<KeyValuePair<string, GgufValue>>? tokenizer)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(shape);
        options ??= new RandomModelOptions();
        Check(shape, options, customVocabulary: tokenizer is not null);

        List<LlamaTensor> tensors = LlamaTensorLayout.Enumerate(shape).ToList();
        string temporary = path + ".partial";
        try
        {
            using (var writer = new GgufWriter(temporary))
            {
                AddMetadata(writer, shape, options, tokenizer);
                foreach (LlamaTensor tensor in tensors)
                {
                    writer.AddTensor(tensor.Name, tensor.Shape, tensor.IsNorm ? GgmlType.F32 : options.TensorType);
                }
                WriteData(writer, tensors, options);
                writer.Finish();
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static void Check(LlamaShape shape, RandomModelOptions options, bool customVocabulary)
    {
        shape.ThrowIfInvalid(nameof(shape));
        if (!customVocabulary && shape.VocabSize < SyntheticVocabulary.MinimumSize)
        {
            throw new ArgumentException(
                $"Model shape '{shape.Name}' has vocab {shape.VocabSize}; the generated tokenizer needs at least {SyntheticVocabulary.MinimumSize} tokens.", nameof(shape));
        }
        CheckTensorType(shape, options);
    }

    /// <summary>Refuses a tensor type or weight spread that cannot store <paramref name="shape"/>'s weights.</summary>
    internal static void CheckTensorType(LlamaShape shape, RandomModelOptions options)
    {
        if (options.TensorType is not (GgmlType.F32 or GgmlType.F16 or GgmlType.Q8_0))
        {
            throw new ArgumentException($"Tensor type {options.TensorType} is not supported for random models; use F32, F16 or Q8_0.", nameof(options));
        }
        if (options.TensorType == GgmlType.Q8_0 && (shape.EmbeddingLength % 32 != 0 || shape.FeedForwardLength % 32 != 0))
        {
            throw new ArgumentException(
                $"Q8_0 needs embd ({shape.EmbeddingLength}) and ff ({shape.FeedForwardLength}) to be multiples of 32; use F16 or F32 for shape '{shape.Name}'.", nameof(options));
        }
        if (!float.IsFinite(options.WeightStdDev) || options.WeightStdDev < 0)
        {
            throw new ArgumentException($"WeightStdDev {options.WeightStdDev} must be a finite non-negative number.", nameof(options));
        }
    }

    private static void AddMetadata(GgufWriter writer, LlamaShape shape, RandomModelOptions options, IReadOnlyList<KeyValuePair<string, GgufValue>>? tokenizer)
    {
        writer.AddString("general.architecture", "llama");
        writer.AddString("general.type", "model");
        writer.AddString("general.name", shape.Name);
        writer.AddUInt32("general.file_type", options.TensorType switch
        {
            GgmlType.F32 => 0u,   // LLAMA_FTYPE_ALL_F32
            GgmlType.F16 => 1u,   // LLAMA_FTYPE_MOSTLY_F16
            _ => 7u,              // LLAMA_FTYPE_MOSTLY_Q8_0
        });
        if (options.TensorType == GgmlType.Q8_0)
        {
            writer.AddUInt32("general.quantization_version", 2);
        }
        writer.AddUInt32("llama.vocab_size", (uint)shape.VocabSize);
        writer.AddUInt32("llama.context_length", (uint)shape.ContextLength);
        writer.AddUInt32("llama.embedding_length", (uint)shape.EmbeddingLength);
        writer.AddUInt32("llama.block_count", (uint)shape.LayerCount);
        writer.AddUInt32("llama.feed_forward_length", (uint)shape.FeedForwardLength);
        writer.AddUInt32("llama.attention.head_count", (uint)shape.HeadCount);
        writer.AddUInt32("llama.attention.head_count_kv", (uint)shape.KvHeadCount);
        writer.AddUInt32("llama.rope.dimension_count", (uint)shape.HeadDimension);
        writer.AddFloat32("llama.rope.freq_base", RopeFrequencyBase);
        writer.AddFloat32("llama.attention.layer_norm_rms_epsilon", RmsNormEpsilon);

        if (tokenizer is not null)
        {
            foreach (var (key, value) in tokenizer)
            {
                writer.AddMetadata(key, value);
            }
            if (options.ChatTemplate is not null && !tokenizer.Any(p => p.Key == "tokenizer.chat_template"))
            {
                writer.AddString("tokenizer.chat_template", options.ChatTemplate);
            }
            return;
        }
        SyntheticVocabulary vocabulary = SyntheticVocabulary.Build(shape.VocabSize);
        writer.AddString("tokenizer.ggml.model", "llama");
        writer.AddStringArray("tokenizer.ggml.tokens", vocabulary.Tokens);
        writer.AddArray<float>("tokenizer.ggml.scores", vocabulary.Scores.ToArray());
        writer.AddArray<int>("tokenizer.ggml.token_type", vocabulary.Types.ToArray());
        writer.AddUInt32("tokenizer.ggml.bos_token_id", SyntheticVocabulary.BosId);
        writer.AddUInt32("tokenizer.ggml.eos_token_id", SyntheticVocabulary.EosId);
        writer.AddUInt32("tokenizer.ggml.unknown_token_id", SyntheticVocabulary.UnknownId);
        writer.AddBool("tokenizer.ggml.add_bos_token", true);
        writer.AddBool("tokenizer.ggml.add_eos_token", false);
        if (options.ChatTemplate is not null)
        {
            writer.AddString("tokenizer.chat_template", options.ChatTemplate);
        }
    }

    /// <summary>Fills every tensor added to <paramref name="writer"/>: norms (by <paramref name="layout"/>) with ones, the rest at random.</summary>
    internal static void WriteData(GgufWriter writer, List<LlamaTensor> layout, RandomModelOptions options)
    {
        ulong total = writer.Tensors.Aggregate(0UL, (sum, tensor) => sum + tensor.ByteSize);
        ulong done = 0;
        var chunk = new byte[ChunkBytes];
        for (int index = 0; index < writer.Tensors.Count; index++)
        {
            GgufTensorInfo tensor = writer.Tensors[index];
            // Each tensor has its own stream, so a tensor's values do not depend on the ones before it.
            var random = new RandomWeights(options.Seed, (ulong)index);
            int blockBytes = GgmlTypeInfo.GetBlockBytes(tensor.Type);
            int chunkBytes = ChunkBytes / blockBytes * blockBytes;
            for (ulong written = 0; written < tensor.ByteSize;)
            {
                int length = (int)Math.Min((ulong)chunkBytes, tensor.ByteSize - written);
                Span<byte> span = chunk.AsSpan(0, length);
                if (layout[index].IsNorm)
                {
                    FillOnes(span);   // RMS-norm weights: ones keep activations at their natural scale.
                }
                else
                {
                    random.Fill(span, tensor.Type, options.WeightStdDev);
                }
                writer.WriteTensorData(span);
                written += (ulong)length;
                done += (ulong)length;
                options.Progress?.Report((double)done / total);
            }
        }
    }

    private static void FillOnes(Span<byte> destination) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(destination).Fill(1f);
}
