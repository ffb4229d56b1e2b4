namespace Slingshot.Gguf;

/// <summary>
/// The hyperparameters llama.cpp asserts on instead of refusing with an error, checked before it sees them: a
/// failed assertion aborts the process, either while the model loads (llama-model.cpp <c>load_hparams</c>, the
/// architectures' <c>load_arch_hparams</c>, llama-vocab.cpp) or at the first decode (ggml's norm and rope kernels,
/// the graph builders' shape assertions). Values llama.cpp refuses with an error of its own (a missing key, a wrong
/// type, a tensor of the wrong shape) are left to it: its message already reaches the user as one line.
/// </summary>
internal static class HyperparameterChecks
{
    /// <summary>llama.cpp's LLAMA_MAX_LAYERS.</summary>
    public const int MaxLayers = 512;

    /// <summary>llama.cpp's LLAMA_MAX_EXPERTS.</summary>
    public const int MaxExperts = 1024;

    /// <summary>llama_token_type LLAMA_TOKEN_TYPE_BYTE.</summary>
    private const int ByteTokenType = 6;

    /// <summary>The first problem found, or null when nothing would trip an assertion.</summary>
    public static string? FindProblem(GgufFile file, string architecture)
    {
        var meta = new ArchitectureMetadata(file, architecture);
        return FindVocabularyProblem(file)
            ?? FindLayerProblem(meta)
            ?? FindNormProblem(meta)
            ?? FindRopeProblem(meta);
    }

    private static string? FindLayerProblem(ArchitectureMetadata meta)
    {
        if (meta.UInt32("block_count") is not { } layers)
        {
            return null; // missing or not UInt32: llama.cpp refuses it with an error
        }
        if (layers is 0 or > MaxLayers)
        {
            return $"{meta.Key("block_count")} is {layers}; llama.cpp supports 1 to {MaxLayers} layers";
        }
        if (meta.UInt32("nextn_predict_layers") is { } nextn && nextn > layers)
        {
            return $"{meta.Key("nextn_predict_layers")} is {nextn}, more than the {layers} layers";
        }
        return FindExpertProblem(meta, (int)layers)
            ?? LlamaArchitectureRules.FindArchitectureProblem(meta, layers)
            ?? FindAttentionWidthProblem(meta, (int)layers);
    }

    /// <summary>The expert counts load_hparams asserts on, in its order.</summary>
    private static string? FindExpertProblem(ArchitectureMetadata meta, int layers)
    {
        var experts = meta.UInt32("expert_count") ?? 0;
        var used = meta.Has("expert_used_count") ? meta.PerLayer("expert_used_count", layers) : new uint[layers];
        if (used is null)
        {
            return null; // an array of the wrong length or type: llama.cpp refuses it with an error
        }
        if (meta.Architecture is "hunyuan_vl" or "hunyuan-dense" && experts <= 1)
        {
            (experts, used) = (0, new uint[layers]); // llama.cpp turns experts off for these
        }
        var usedMax = used.Max();
        var groups = meta.UInt32("expert_group_count") ?? 0;
        var groupsUsed = meta.UInt32("expert_group_used_count") ?? 0;
        string count = meta.Key("expert_count"), usedKey = meta.Key("expert_used_count"), groupKey = meta.Key("expert_group_count"),
            groupUsedKey = meta.Key("expert_group_used_count");
        return experts > MaxExperts ? $"{count} is {experts}; llama.cpp supports at most {MaxExperts} experts"
            : usedMax > experts ? $"{usedKey} is {usedMax}, more than the {experts} experts ({count})"
            : experts > 0 && usedMax == 0 ? $"{usedKey} is 0 (or missing) while {count} is {experts}; a mixture of experts must use at least one"
            : experts == 0 && groups != 0 ? $"{groupKey} is {groups} in a model without experts"
            : experts > 0 && groups >= experts ? $"{groupKey} is {groups}; it must be less than the {experts} experts"
            : groups > 1 && experts % groups != 0 ? $"{count} {experts} is not divisible by {groupKey} {groups}"
            : groups > 1 && groupsUsed == 0 ? $"{groupUsedKey} is 0 (or missing) while {groupKey} is {groups}"
            : groups > 1 && groupsUsed >= groups ? $"{groupUsedKey} is {groupsUsed}; it must be less than the {groups} expert groups"
            : null;
    }

    /// <summary>
    /// Per-layer head counts that the tensors contradict. Most architectures size their tensors from layer 0's head
    /// counts but reshape each layer with its own, so a layer whose count differs (or is 0) while its attention
    /// tensors keep the common width fails a shape assertion at the first decode. Only checked where a layer's counts
    /// differ from layer 0's: with uniform counts llama.cpp's own tensor-shape check (an error) covers it.
    /// </summary>
    private static string? FindAttentionWidthProblem(ArchitectureMetadata meta, int layers)
    {
        if (LlamaArchitectureRules.NeverDecoded.Contains(meta.Architecture) || meta.Has("attention.kv_lora_rank")
            || meta.PerLayer("attention.head_count", layers) is not { } heads || heads[0] == 0 || HeadSizes(meta, heads[0]) is not { } size
            || size.Key != size.KeySwa || size.Value != size.ValueSwa)
        {
            return null; // multi-head latent attention, or head sizes that differ between sliding-window and full layers
        }
        var kvHeads = meta.Has("attention.head_count_kv") ? meta.PerLayer("attention.head_count_kv", layers) : heads;
        if (kvHeads is null)
        {
            return null;
        }
        var uniformHeads = heads.All(h => h == heads[0]);
        var uniformKv = kvHeads.All(h => h == kvHeads[0] && h != 0);
        for (var layer = 0; layer < layers && !(uniformHeads && uniformKv); layer++)
        {
            var problem = (uniformHeads ? null : WidthProblem(meta, layer, "attn_q", heads[layer], size.Key, "attention.head_count"))
                ?? (uniformKv ? null : WidthProblem(meta, layer, "attn_k", kvHeads[layer], size.Key, "attention.head_count_kv"))
                ?? (uniformKv ? null : WidthProblem(meta, layer, "attn_v", kvHeads[layer], size.Value, "attention.head_count_kv"));
            if (problem is not null)
            {
                return problem;
            }
        }
        return null;
    }

    private static string? WidthProblem(ArchitectureMetadata meta, int layer, string tensorName, uint heads, ulong headSize, string countKey)
    {
        var tensor = meta.File.FindTensor($"blk.{layer}.{tensorName}.weight");
        if (tensor is not { Shape.Count: 2 })
        {
            return null;
        }
        var expected = heads * headSize;
        return tensor.Shape[1] == expected ? null
            : $"{tensor.Name} has {tensor.Shape[1]} outputs, but {meta.Key(countKey)} says layer {layer} has {heads} heads of {headSize} ({expected} outputs)";
    }

    /// <summary>llama.cpp's eps must be a number >= 0: ggml's norm kernels assert it at the first decode.</summary>
    private static string? FindNormProblem(ArchitectureMetadata meta)
    {
        foreach (var suffix in new[] { "attention.layer_norm_rms_epsilon", "attention.layer_norm_epsilon", "attention.group_norm_epsilon" })
        {
            if (meta.Float32(suffix) is { } eps && !(float.IsFinite(eps) && eps >= 0))
            {
                return $"{meta.Key(suffix)} is {eps}; it must be a finite number >= 0";
            }
        }
        return null;
    }

    private static string? FindRopeProblem(ArchitectureMetadata meta)
    {
        if (meta.String("rope.scaling.type") is { } scaling && !LlamaArchitectureRules.RopeScalingTypes.Contains(scaling))
        {
            return $"{meta.Key("rope.scaling.type")} is '{scaling}'; llama.cpp knows {string.Join(", ", LlamaArchitectureRules.RopeScalingTypes)}";
        }
        // Head sizes come from layer 0's head count (a scalar, or the first of one count per layer).
        var heads = meta.UInt32("block_count") is { } layers and > 0 and <= MaxLayers
            ? meta.PerLayer("attention.head_count", (int)layers)?[0]
            : meta.UInt32("attention.head_count");
        if (heads is not > 0 || HeadSizes(meta, heads.Value) is not { } size)
        {
            return null; // no attention heads: llama.cpp sets the rope and head sizes to 0 and never rotates
        }
        return RotationProblem(meta, "rope.dimension_count", size.Rope, size.Key, "attention.key_length")
            ?? RotationProblem(meta, "rope.dimension_count_swa", size.RopeSwa, size.KeySwa, "attention.key_length_swa")
            ?? SameSizeProblem(meta, size);
    }

    /// <summary>ggml's rope kernel asserts that it rotates pairs within the head: an even count, at most the head size.</summary>
    private static string? RotationProblem(ArchitectureMetadata meta, string ropeKey, ulong rope, ulong keySize, string keyKey)
    {
        if (!meta.Has(ropeKey))
        {
            return null;
        }
        return rope > keySize ? $"{meta.Key(ropeKey)} is {rope}, more than the key head size {keySize} ({meta.Key(keyKey)}, or embedding_length / head_count)"
            : rope % 2 != 0 ? $"{meta.Key(ropeKey)} is {rope}; rotary embeddings rotate pairs, so it must be even"
            : null;
    }

    /// <summary>The head sizes an architecture's graph builder asserts equal (see <see cref="LlamaArchitectureRules"/>).</summary>
    private static string? SameSizeProblem(ArchitectureMetadata meta, HeadSize size)
    {
        if (size.Key != size.KeySwa || size.Value != size.ValueSwa || size.Rope != size.RopeSwa)
        {
            return null; // sliding-window layers of another size: which size layer 0 has depends on the pattern
        }
        if (LlamaArchitectureRules.KeyHeadEqualsValueHead.Contains(meta.Architecture) && size.Key != size.Value)
        {
            return $"the key head size {size.Key} differs from the value head size {size.Value} ({meta.Key("attention.key_length")}, {meta.Key("attention.value_length")}); the {meta.Architecture} architecture needs them equal";
        }
        if (LlamaArchitectureRules.RopeEqualsValueHead.Contains(meta.Architecture) && size.Rope != size.Value)
        {
            return $"{meta.Key("rope.dimension_count")} is {size.Rope}, but the {meta.Architecture} architecture rotates whole heads of {size.Value}";
        }
        return null;
    }

    /// <summary>llama.cpp's head sizes (load_hparams): key and value default to embedding_length / head_count of layer 0.</summary>
    private static HeadSize? HeadSizes(ArchitectureMetadata meta, uint headsOfLayer0)
    {
        if (meta.UInt32("embedding_length") is not { } width)
        {
            return null;
        }
        ulong key = meta.UInt32("attention.key_length") ?? width / headsOfLayer0;
        ulong value = meta.UInt32("attention.value_length") ?? width / headsOfLayer0;
        ulong rope = meta.UInt32("rope.dimension_count") ?? key;
        ulong keySwa = meta.UInt32("attention.key_length_swa") ?? key;
        return new HeadSize(key, value, rope, keySwa, meta.UInt32("attention.value_length_swa") ?? value, meta.UInt32("rope.dimension_count_swa") ?? rope);
    }

    private sealed record HeadSize(ulong Key, ulong Value, ulong Rope, ulong KeySwa, ulong ValueSwa, ulong RopeSwa);

    /// <summary>Vocabularies llama.cpp accepts at load time but that end the process later (or while it loads).</summary>
    private static string? FindVocabularyProblem(GgufFile file)
    {
        if (!file.TryGet("tokenizer.ggml.model", out string? model))
        {
            return null;
        }
        if (model is "none" or "no_vocab")
        {
            // llama.cpp loads it without a tokenizer and then asserts on the first tokenization.
            return $"tokenizer.ggml.model is '{model}': the model has no vocabulary to tokenize text with";
        }
        if (model == "bert" && file.TryGetValue("tokenizer.ggml.token_type", out var types) && types.IsArray
            && types.ElementType == GgufValueType.Int32 && types.AsSpan<int>().Contains(ByteTokenType))
        {
            // llama-vocab.cpp renders every token at load time and aborts on a byte token of a WordPiece vocabulary.
            return "tokenizer.ggml.model is 'bert' (WordPiece), which has no byte tokens, but tokenizer.ggml.token_type marks some as bytes";
        }
        return null;
    }
}
