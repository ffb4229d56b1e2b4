using Slingshot.Native.Interop;

namespace Slingshot.Generation;

/// <summary>A llama_batch allocated once per engine and refilled for every decode call.</summary>
internal sealed unsafe class NativeBatch : IDisposable
{
    private LlamaBatch _batch;
    private bool _disposed;

    public NativeBatch(int capacity)
    {
        Capacity = capacity;
        _batch = LlamaNative.llama_batch_init(capacity, 0, 1);
    }

    public int Capacity { get; }

    public int Count => _batch.NTokens;

    public LlamaBatch Native => _batch;

    public void Clear() => _batch.NTokens = 0;

    /// <summary>Adds a token of one sequence; returns its index within the batch (where its logits will be).</summary>
    public int Add(int token, int position, int sequence, bool wantLogits)
    {
        if (_batch.NTokens >= Capacity)
        {
            throw new InvalidOperationException("Batch is full.");
        }
        var i = _batch.NTokens;
        _batch.Token[i] = new LlamaToken(token);
        _batch.Pos[i] = new LlamaPos(position);
        _batch.NSeqId[i] = 1;
        _batch.SeqId[i][0] = new LlamaSeqId(sequence);
        _batch.Logits[i] = wantLogits ? (sbyte)1 : (sbyte)0;
        _batch.NTokens = i + 1;
        return i;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            LlamaNative.llama_batch_free(_batch);
        }
    }
}
