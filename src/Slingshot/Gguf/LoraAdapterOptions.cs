namespace Slingshot.Gguf;

/// <summary>How <see cref="LoraAdapterWriter"/> builds a random LoRA adapter.</summary>
public sealed record LoraAdapterOptions
{
    /// <summary>Rank r of each low-rank pair (A is r x in, B is out x r). Default 4.</summary>
    public int Rank { get; init; } = 4;

    /// <summary>LoRA alpha; llama.cpp scales each update by alpha / rank times the user's scale. Default 8.</summary>
    public float Alpha { get; init; } = 8f;

    /// <summary>Seed of the random A and B matrices. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>
    /// Standard deviation of A and B. Default 0.02. Unlike training, B is not zero, so the adapter visibly
    /// changes the model's output.
    /// </summary>
    public float StdDev { get; init; } = 0.02f;

    /// <summary>
    /// Matrices to adapt in every layer (attn_q, attn_k, attn_v, attn_output, ffn_gate, ffn_up, ffn_down), or
    /// "output" for the output projection of a model without tied embeddings. Default attn_q and attn_v.
    /// </summary>
    public IReadOnlyList<string> Targets { get; init; } = ["attn_q", "attn_v"];
}
