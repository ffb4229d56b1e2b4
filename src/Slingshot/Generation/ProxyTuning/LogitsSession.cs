using Slingshot.Native;
using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot.Generation.ProxyTuning;

/// <summary>
/// One model decoding one sequence step by step: append tokens, read the logits after the last one. The KV
/// cache keeps what was decoded, so each step costs one token, not the whole text again. Not thread-safe.
/// </summary>
internal sealed unsafe class LogitsSession : IDisposable
{
    private readonly SafeLlamaContextHandle _context;
    private readonly nint _memory;
    private readonly NativeBatch _batch;
    private readonly int _vocabularySize;

    public LogitsSession(LlamaModel model, int contextSize, int threads, IReadOnlyList<(LoraAdapter Adapter, float Scale)> adapters)
    {
        var parameters = LlamaNative.llama_context_default_params();
        parameters.NCtx = (uint)contextSize;
        parameters.NBatch = (uint)Math.Min(contextSize, 512);
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
                throw new SlingshotException($"llama.cpp could not create a context of {contextSize} tokens for '{Path.GetFileName(model.Path)}': {capture.Explain()}.");
            }
            _context = new SafeLlamaContextHandle(raw, model.Handle);
        }
        _memory = LlamaNative.llama_get_memory(_context);
        try
        {
            if (_memory == nint.Zero)
            {
                throw new SlingshotException($"'{Path.GetFileName(model.Path)}' has no KV cache (an embedding or encoder model); proxy-tuning needs decoder models.");
            }
            LoraAdapter.ApplyTo(_context, adapters);
        }
        catch
        {
            _context.Dispose();
            throw;
        }
        ContextSize = (int)LlamaNative.llama_n_ctx(_context);
        _batch = new NativeBatch((int)LlamaNative.llama_n_batch(_context));
        _vocabularySize = model.Vocabulary.Count;
    }

    /// <summary>Cells of the context: the most tokens the sequence can hold.</summary>
    public int ContextSize { get; }

    /// <summary>Tokens decoded so far.</summary>
    public int Position { get; private set; }

    /// <summary>Forgets everything decoded.</summary>
    public void Reset()
    {
        LlamaNative.llama_memory_clear(_memory, true);
        Position = 0;
    }

    /// <summary>Decodes <paramref name="tokens"/> after what is there and writes the raw logits after the last one into <paramref name="logits"/>.</summary>
    public void Append(ReadOnlySpan<int> tokens, Span<float> logits)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("Nothing to decode.", nameof(tokens));
        }
        if (Position + tokens.Length > ContextSize)
        {
            throw new ContextLengthExceededException($"{Position + tokens.Length} tokens do not fit a context of {ContextSize}.");
        }
        for (var start = 0; start < tokens.Length; start += _batch.Capacity)
        {
            var end = Math.Min(tokens.Length, start + _batch.Capacity);
            _batch.Clear();
            for (var i = start; i < end; i++)
            {
                _batch.Add(tokens[i], Position + i, 0, wantLogits: i == tokens.Length - 1);
            }
            var rc = LlamaNative.llama_decode(_context, _batch.Native);
            if (rc != 0)
            {
                throw new SlingshotException($"llama_decode failed with status {rc}.");
            }
        }
        Position += tokens.Length;
        var last = LlamaNative.llama_get_logits_ith(_context, _batch.Count - 1);
        if (last == null)
        {
            throw new SlingshotException("llama.cpp returned no logits for the last token.");
        }
        new ReadOnlySpan<float>(last, _vocabularySize).CopyTo(logits);
    }

    public void Dispose()
    {
        _batch.Dispose();
        _context.Dispose();
    }
}
