using Slingshot.Native.Interop;

namespace Slingshot.Generation.Prefixes;

/// <summary>
/// The two KV operations a prefix cache needs, by sequence id and position range ([from, to); -1 = open end). Kept
/// behind an interface so the cache's bookkeeping is tested against a simulated cache without llama.cpp.
/// </summary>
internal interface IKvSequences
{
    /// <summary>Gives <paramref name="destination"/> the cells <paramref name="source"/> holds at positions [from, to) (llama_memory_seq_cp).</summary>
    void Copy(int source, int destination, int from, int to);

    /// <summary>Takes the cells at positions [from, to) away from <paramref name="sequence"/> (llama_memory_seq_rm).</summary>
    void Remove(int sequence, int from, int to);
}

/// <summary>The operations on a llama context's memory.</summary>
internal sealed class LlamaKvSequences(nint memory) : IKvSequences
{
    public void Copy(int source, int destination, int from, int to) =>
        LlamaNative.llama_memory_seq_cp(memory, new LlamaSeqId(source), new LlamaSeqId(destination), new LlamaPos(from), new LlamaPos(to));

    public void Remove(int sequence, int from, int to) =>
        LlamaNative.llama_memory_seq_rm(memory, new LlamaSeqId(sequence), new LlamaPos(from), new LlamaPos(to));
}
