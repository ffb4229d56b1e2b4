using Slingshot.Native;
using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot.Generation;

/// <summary>
/// A llama context holding one sequence, for the generators that step several models side by side (the
/// speculative decoder's target and draft, proxy-tuning's three models): append tokens at the end, read the
/// logits of the last pass, and cut the cache back to a length when a draft is rejected.
/// </summary>
internal sealed class SequenceContext : IDisposable
{
    private const int SequenceId = 0;
    private readonly SafeLlamaContextHandle _context;
    private readonly nint _memory;
    private readonly NativeBatch _batch;
    private readonly int _vocabularySize;
    private readonly EngineCompute? _compute;
    private readonly ComputeOwner _owner;

    /// <param name="model">The model.</param>
    /// <param name="contextSize">KV cells of the sequence (padded to a multiple of 256).</param>
    /// <param name="threads">Decode threads.</param>
    /// <param name="adapters">LoRA adapters to apply.</param>
    /// <param name="compute">
    /// An engine's compute to join: its thread pool and its one pass at a time, shared with the engine's other
    /// contexts. Without it the context gets a pool of its own and computes whenever it is called.
    /// </param>
    /// <param name="owner">Who this context's passes belong to, for <paramref name="compute"/>'s observer.</param>
    public SequenceContext(LlamaModel model, int contextSize, int threads, IReadOnlyList<(LoraAdapter Adapter, float Scale)>? adapters = null,
        EngineCompute? compute = null, ComputeOwner owner = ComputeOwner.SpeculativeTarget)
    {
        _compute = compute;
        _owner = owner;
        var parameters = LlamaNative.llama_context_default_params();
        parameters.NCtx = (uint)((contextSize + 255) / 256 * 256);
        parameters.NBatch = Math.Min(parameters.NCtx, 512u);
        parameters.NUbatch = parameters.NBatch;
        parameters.NSeqMax = 1;
        parameters.NThreads = threads;
        parameters.NThreadsBatch = threads;
        parameters.NoPerf = true;
        using (var capture = LlamaLog.Capture())
        {
            var raw = LlamaNative.llama_init_from_model(model.Handle, parameters);
            if (raw == nint.Zero)
            {
                throw new SlingshotException($"llama.cpp could not create a context of {parameters.NCtx} tokens for '{Path.GetFileName(model.Path)}': {capture.Explain()}.");
            }
            _context = new SafeLlamaContextHandle(raw, model.Handle);
        }
        try
        {
            _memory = LlamaNative.llama_get_memory(_context);
            if (_memory == nint.Zero)
            {
                throw new SlingshotException($"'{Path.GetFileName(model.Path)}' has no KV cache; speculative decoding and proxy-tuning need decoder models.");
            }
            if (compute is not null)
            {
                compute.Attach(_context);
            }
            else
            {
                // A persistent pool, as the engine's: without it every llama_decode starts and joins its threads.
                using var pool = SafeGgmlThreadpoolHandle.TryCreate(threads);
                if (pool is not null)
                {
                    _context.KeepAlive(pool);
                    LlamaNative.llama_attach_threadpool(_context, pool.DangerousGetHandle(), pool.DangerousGetHandle());
                }
            }
            LoraAdapter.ApplyTo(_context, adapters ?? []);
        }
        catch
        {
            _context.Dispose();
            throw;
        }
        Capacity = (int)LlamaNative.llama_n_ctx(_context);
        _batch = new NativeBatch((int)LlamaNative.llama_n_batch(_context));
        _vocabularySize = model.Vocabulary.Count;
    }

    /// <summary>KV cells of the sequence.</summary>
    public int Capacity { get; }

    /// <summary>Most tokens one pass takes.</summary>
    public int BatchCapacity => _batch.Capacity;

    /// <summary>Tokens in the cache (the position of the next one).</summary>
    public int Length { get; private set; }

    /// <summary>Tokens in the last pass (logits indices run from 0 to this minus one).</summary>
    public int LastPassTokens { get; private set; }

    /// <summary>Empties the cache for the next request.</summary>
    public void Clear()
    {
        LlamaNative.llama_memory_clear(_memory, true);
        Length = 0;
    }

    /// <summary>Drops the cache from <paramref name="length"/> on: the cells of rejected draft tokens.</summary>
    public void TruncateTo(int length)
    {
        if (length < Length)
        {
            LlamaNative.llama_memory_seq_rm(_memory, new LlamaSeqId(SequenceId), new LlamaPos(length), new LlamaPos(-1));
            Length = length;
        }
    }

    /// <summary>
    /// Decodes tokens after the cache in passes of at most <see cref="BatchCapacity"/>. The last pass keeps logits
    /// for all its tokens when <paramref name="allLogits"/> (a verification pass), else for its last token only.
    /// Returns the number of passes.
    /// </summary>
    public int Append(ReadOnlySpan<int> tokens, bool allLogits)
    {
        if (Length + tokens.Length > Capacity)
        {
            throw new ContextLengthExceededException($"{Length + tokens.Length} tokens do not fit a context of {Capacity}.");
        }
        var passes = 0;
        for (var start = 0; start < tokens.Length; start += _batch.Capacity)
        {
            var end = Math.Min(tokens.Length, start + _batch.Capacity);
            _batch.Clear();
            for (var i = start; i < end; i++)
            {
                var wantLogits = end == tokens.Length && (allLogits || i == end - 1);
                _batch.Add(tokens[i], Length + i - start, SequenceId, wantLogits);
            }
            var rc = _compute is null ? LlamaNative.llama_decode(_context, _batch.Native) : _compute.Decode(_context, _batch.Native, _owner);
            if (rc != 0)
            {
                throw new SlingshotException($"llama_decode failed (code {rc}).");
            }
            Length += end - start;
            LastPassTokens = end - start;
            passes++;
        }
        return passes;
    }

    /// <summary>Logits of token <paramref name="index"/> of the last pass.</summary>
    public unsafe ReadOnlySpan<float> Logits(int index)
    {
        var logits = LlamaNative.llama_get_logits_ith(_context, index);
        if (logits == null)
        {
            throw new SlingshotException("llama.cpp returned no logits for a token that asked for them.");
        }
        return new ReadOnlySpan<float>(logits, _vocabularySize);
    }

    public void Dispose()
    {
        _batch.Dispose();
        _context.Dispose();
    }
}
