namespace Slingshot.Gguf;

/// <summary>One tensor a Llama model of a given shape holds, with its ggml shape (row length first).</summary>
internal sealed record LlamaTensor(string Name, ulong[] Shape, bool IsNorm)
{
    public ulong ElementCount => Shape.Aggregate(1UL, (product, dimension) => product * dimension);
}

/// <summary>
/// The tensors llama.cpp's Llama loader (src/models/llama.cpp, <c>load_arch_tensors</c>) requires, with the
/// shapes it checks: shared by the model writer and the LoRA writer, whose adapters must match them.
/// </summary>
internal static class LlamaTensorLayout
{
    /// <summary>The per-layer matrices a LoRA adapter may target.</summary>
    public static readonly IReadOnlyList<string> LayerMatrices =
        ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_down", "ffn_up"];

    public static IEnumerable<LlamaTensor> Enumerate(LlamaShape shape)
    {
        ulong embd = (ulong)shape.EmbeddingLength;
        ulong vocab = (ulong)shape.VocabSize;
        yield return new("token_embd.weight", [embd, vocab], false);
        yield return new("output_norm.weight", [embd], true);
        if (!shape.TiedEmbeddings)
        {
            yield return new("output.weight", [embd, vocab], false);
        }
        for (int layer = 0; layer < shape.LayerCount; layer++)
        {
            yield return new($"blk.{layer}.attn_norm.weight", [embd], true);
            foreach (string matrix in LayerMatrices)
            {
                yield return new($"blk.{layer}.{matrix}.weight", MatrixShape(shape, matrix), false);
            }
            yield return new($"blk.{layer}.ffn_norm.weight", [embd], true);
        }
    }

    /// <summary>ggml shape [input width, output width] of a per-layer matrix (or "output").</summary>
    public static ulong[] MatrixShape(LlamaShape shape, string matrix)
    {
        ulong embd = (ulong)shape.EmbeddingLength;
        ulong kv = (ulong)shape.KvEmbeddingLength;
        ulong ff = (ulong)shape.FeedForwardLength;
        return matrix switch
        {
            "attn_q" or "attn_output" => [embd, embd],
            "attn_k" or "attn_v" => [embd, kv],
            "ffn_gate" or "ffn_up" => [embd, ff],
            "ffn_down" => [ff, embd],
            "output" => [embd, (ulong)shape.VocabSize],
            _ => throw new ArgumentException($"'{matrix}' is not a Llama weight matrix; use one of {string.Join(", ", LayerMatrices)} or output.", nameof(matrix)),
        };
    }
}
