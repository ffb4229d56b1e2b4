namespace Slingshot.Gguf;

/// <summary>
/// The real architectures a random-weight stand-in model can have, with the hyperparameters and tensors the pinned
/// llama.cpp's loaders read for each (src/models/llama.cpp, qwen2.cpp, phi3.cpp, gemma.cpp, gemma2.cpp, gemma3.cpp):
/// Llama (Llama 2/3, SmolLM, Mistral), Qwen2 (Qwen2/2.5, with q/k/v biases), Phi-3 (fused qkv and gate-up
/// projections), and Gemma 1/2/3 (head-scaled embeddings, post-norms, q/k norms). Shapes come from a
/// <see cref="LlamaShape"/>.
/// </summary>
public static class StandInArchitectures
{
    /// <summary>The architecture names (<c>general.architecture</c>) a stand-in can be written with.</summary>
    public static IReadOnlyList<string> Names { get; } = ["llama", "qwen2", "phi3", "gemma", "gemma2", "gemma3"];

    /// <summary>Whether <paramref name="architecture"/> is one of <see cref="Names"/>.</summary>
    public static bool IsSupported(string architecture) => Names.Contains(architecture, StringComparer.Ordinal);

    /// <summary>The family's own RoPE base and norm epsilon, as their released configs set them.</summary>
    internal static (float RopeBase, float NormEpsilon) Constants(string architecture) => architecture switch
    {
        "qwen2" => (1_000_000f, 1e-6f),
        "gemma" or "gemma2" => (10_000f, 1e-6f),
        "gemma3" => (1_000_000f, 1e-6f),
        "phi3" => (10_000f, 1e-5f),
        _ => (RandomModelWriter.RopeFrequencyBase, RandomModelWriter.RmsNormEpsilon),
    };

    /// <summary>Writes the <c>{architecture}.*</c> hyperparameters.</summary>
    internal static void AddHyperparameters(GgufWriter writer, string architecture, LlamaShape shape)
    {
        var (ropeBase, epsilon) = Constants(architecture);
        string Key(string suffix) => $"{architecture}.{suffix}";
        writer.AddUInt32(Key("context_length"), (uint)shape.ContextLength);
        writer.AddUInt32(Key("embedding_length"), (uint)shape.EmbeddingLength);
        writer.AddUInt32(Key("block_count"), (uint)shape.LayerCount);
        writer.AddUInt32(Key("feed_forward_length"), (uint)shape.FeedForwardLength);
        writer.AddUInt32(Key("attention.head_count"), (uint)shape.HeadCount);
        writer.AddUInt32(Key("attention.head_count_kv"), (uint)shape.KvHeadCount);
        writer.AddFloat32(Key("attention.layer_norm_rms_epsilon"), epsilon);
        writer.AddFloat32(Key("rope.freq_base"), ropeBase);
        switch (architecture)
        {
            case "llama":
                writer.AddUInt32(Key("vocab_size"), (uint)shape.VocabSize);
                writer.AddUInt32(Key("rope.dimension_count"), (uint)shape.HeadDimension);
                break;
            case "phi3":
                writer.AddUInt32(Key("rope.dimension_count"), (uint)shape.HeadDimension);
                writer.AddUInt32(Key("rope.scaling.original_context_length"), (uint)shape.ContextLength);
                break;
            case "gemma" or "gemma2" or "gemma3":
                writer.AddUInt32(Key("attention.key_length"), (uint)shape.HeadDimension);
                writer.AddUInt32(Key("attention.value_length"), (uint)shape.HeadDimension);
                if (architecture == "gemma2")
                {
                    // Gemma 2's released soft-capping; its sliding window is llama.cpp's default (4096).
                    writer.AddFloat32(Key("attn_logit_softcapping"), 50f);
                    writer.AddFloat32(Key("final_logit_softcapping"), 30f);
                }
                break;
        }
    }

    /// <summary>The tensors the architecture's loader requires (and the optional ones its released models carry).</summary>
    internal static IEnumerable<LlamaTensor> Tensors(string architecture, LlamaShape shape)
    {
        ulong embd = (ulong)shape.EmbeddingLength;
        ulong kv = (ulong)shape.KvEmbeddingLength;
        ulong ff = (ulong)shape.FeedForwardLength;
        ulong head = (ulong)shape.HeadDimension;
        var gemma = architecture is "gemma" or "gemma2" or "gemma3";
        yield return new("token_embd.weight", [embd, (ulong)shape.VocabSize], false);
        yield return new("output_norm.weight", [embd], true);
        // Gemma 1 and 2 always reuse the embeddings as the output projection; a separate one is an unused tensor.
        if (!shape.TiedEmbeddings && architecture is not ("gemma" or "gemma2"))
        {
            yield return new("output.weight", [embd, (ulong)shape.VocabSize], false);
        }
        for (var layer = 0; layer < shape.LayerCount; layer++)
        {
            string Name(string tensor) => $"blk.{layer}.{tensor}.weight";
            yield return new(Name("attn_norm"), [embd], true);
            if (architecture == "phi3")
            {
                yield return new(Name("attn_qkv"), [embd, embd + 2 * kv], false);
            }
            else
            {
                yield return new(Name("attn_q"), [embd, embd], false);
                yield return new(Name("attn_k"), [embd, kv], false);
                yield return new(Name("attn_v"), [embd, kv], false);
            }
            if (architecture == "qwen2")
            {
                yield return new($"blk.{layer}.attn_q.bias", [embd], false);
                yield return new($"blk.{layer}.attn_k.bias", [kv], false);
                yield return new($"blk.{layer}.attn_v.bias", [kv], false);
            }
            if (architecture == "gemma3")
            {
                yield return new(Name("attn_q_norm"), [head], true);
                yield return new(Name("attn_k_norm"), [head], true);
            }
            yield return new(Name("attn_output"), [embd, embd], false);
            if (architecture is "gemma2" or "gemma3")
            {
                yield return new(Name("post_attention_norm"), [embd], true);
            }
            yield return new(Name("ffn_norm"), [embd], true);
            if (architecture == "phi3")
            {
                yield return new(Name("ffn_up"), [embd, 2 * ff], false);
            }
            else
            {
                yield return new(Name("ffn_gate"), [embd, ff], false);
                yield return new(Name("ffn_up"), [embd, ff], false);
            }
            yield return new(Name("ffn_down"), [ff, embd], false);
            if (gemma && architecture != "gemma")
            {
                yield return new(Name("post_ffw_norm"), [embd], true);
            }
        }
    }
}
