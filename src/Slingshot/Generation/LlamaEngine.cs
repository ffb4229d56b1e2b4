using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Slingshot.Generation;
using Slingshot.Generation.Speculative;
using Slingshot.Native;
using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot;

/// <summary>
/// A model with one llama context and the decode loop that owns it. Thread-safe: any number of callers
/// submit requests at once and they are decoded together in one batch per step.
/// </summary>
public sealed partial class LlamaEngine : IDisposable
{
    private readonly SafeLlamaContextHandle _context;
    private readonly DecodeLoop _loop;
    private readonly SpeculativeDecoder? _speculative;
    private readonly EngineCompute _compute;
    private readonly bool _ownsModel;
    private int _disposed;

    /// <summary>Creates an engine over a loaded model (which must outlive the engine unless <paramref name="ownsModel"/>).</summary>
    public LlamaEngine(LlamaModel model, EngineOptions? options = null, bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new EngineOptions();
        options.Validate();
        Model = model;
        _ownsModel = ownsModel;
        Threads = options.Threads ?? LlamaRuntime.DefaultThreads;

        // llama.cpp pads the context to a multiple of 256 and caps the batch at the context; size everything
        // from those real values, or a prompt chunk could exceed n_batch and abort inside llama_decode.
        var requested = options.ContextSize > 0 ? options.ContextSize : model.DefaultContextSize();
        var contextSize = (requested + 255) / 256 * 256;
        var batchCapacity = Math.Min(contextSize, options.BatchSize + options.MaxSequences);
        if (batchCapacity <= options.MaxSequences)
        {
            throw new ArgumentException($"A context of {contextSize} tokens is too small for {options.MaxSequences} sequences; raise the context size or lower the sequences.");
        }
        foreach (var (adapter, _) in options.LoraAdapters)
        {
            if (!ReferenceEquals(adapter?.Model, model))
            {
                throw new ArgumentException($"LoRA adapter '{adapter?.Path}' was loaded for another model; load it with this engine's model.");
            }
        }
        var parameters = LlamaNative.llama_context_default_params();
        parameters.NCtx = (uint)contextSize;
        parameters.NBatch = (uint)batchCapacity;
        parameters.NUbatch = Math.Min(parameters.NBatch, 512u);
        parameters.NSeqMax = (uint)options.MaxSequences;
        parameters.NThreads = Threads;
        parameters.NThreadsBatch = Threads;
        parameters.KvUnified = options.SharedKvCache; // shared: forked samples share their prompt's cells
        parameters.NoPerf = true;
        var prefixCache = CanCachePrefixes(model, options);
        var cacheStreams = 0;
        if (prefixCache && !options.SharedKvCache)
        {
            // Split: cached prompts get streams of their own beside the sequences', each a sequence's share.
            cacheStreams = CacheStreams(options, contextSize, out var share);
            parameters.NSeqMax = (uint)(options.MaxSequences + cacheStreams);
            parameters.NCtx = (uint)(share * (options.MaxSequences + cacheStreams));
        }

        // One thread pool for all of the engine's contexts, and one forward pass at a time among them.
        _compute = new EngineCompute(Threads);
        using (var capture = LlamaLog.Capture())
        {
            var raw = LlamaNative.llama_init_from_model(model.Handle, parameters);
            if (raw == nint.Zero)
            {
                _compute.Dispose();
                throw new SlingshotException($"llama.cpp could not create a context of {contextSize} tokens: {capture.Explain()}.");
            }
            _context = new SafeLlamaContextHandle(raw, model.Handle);
        }
        try
        {
            if (LlamaNative.llama_get_memory(_context) == nint.Zero)
            {
                throw new SlingshotException($"'{Path.GetFileName(model.Path)}' has no KV cache (an embedding or encoder model); Slingshot generates text with decoder models.");
            }
            _compute.Attach(_context);
            LoraAdapter.ApplyTo(_context, options.LoraAdapters);
        }
        catch
        {
            _context.Dispose();
            _compute.Dispose();
            throw;
        }
        SharedKvCache = options.SharedKvCache;
        MaxSequences = options.MaxSequences;
        // The sequences' cells; a split context also holds the prefix cache's streams.
        ContextSize = SharedKvCache ? (int)LlamaNative.llama_n_ctx(_context) : (int)LlamaNative.llama_n_ctx_seq(_context) * MaxSequences;
        SequenceContextSize = SharedKvCache ? ContextSize : (int)LlamaNative.llama_n_ctx_seq(_context);
        PrefixCache = prefixCache && (SharedKvCache || cacheStreams > 0);
        var batch = (int)LlamaNative.llama_n_batch(_context);
        Speculative = options.Speculative;
        try
        {
            _speculative = Speculative is null ? null : new SpeculativeDecoder(model, Speculative, SequenceContextSize, Threads, _compute, Statistics);
        }
        catch
        {
            _context.Dispose();
            _compute.Dispose();
            throw;
        }
        _loop = new DecodeLoop(model, _context, ContextSize, SequenceContextSize, MaxSequences, batch, _compute, Statistics, CreatePrefixCache(options, cacheStreams))
        {
            SamplingShortcuts = options.SamplingShortcuts,
        };
    }

    /// <summary>Loads a model and creates an engine that owns it.</summary>
    public static LlamaEngine Load(string modelPath, EngineOptions? options = null, ModelOptions? modelOptions = null)
    {
        var model = LlamaModel.Load(modelPath, modelOptions);
        try
        {
            return new LlamaEngine(model, options, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The model.</summary>
    public LlamaModel Model { get; }

    /// <summary>KV cells of the context's sequences, all together (a split context's prefix-cache streams come on top).</summary>
    public int ContextSize { get; }

    /// <summary>Whether all sequences share one KV cache (see <see cref="EngineOptions.SharedKvCache"/>).</summary>
    public bool SharedKvCache { get; }

    /// <summary>Most positions one sequence can hold: the whole context when shared, its own share otherwise.</summary>
    public int SequenceContextSize { get; }

    /// <summary>Sequences that can decode at once.</summary>
    public int MaxSequences { get; }

    /// <summary>Threads used for decoding.</summary>
    public int Threads { get; }

    /// <summary>Speculative decoding settings, or null when it is off.</summary>
    public SpeculativeOptions? Speculative { get; }

    /// <summary>Live counters.</summary>
    public EngineStatistics Statistics { get; } = new();

    /// <summary>The engine's thread pool and forward-pass turns (tests observe the passes through it).</summary>
    internal EngineCompute Compute => _compute;

    /// <summary>
    /// Generates and streams updates as tokens are sampled. Cancelling <paramref name="cancellationToken"/>
    /// frees the request's sequences at once and ends the stream with <see cref="FinishReason.Cancelled"/>;
    /// leaving the enumeration early does the same.
    /// </summary>
    public IAsyncEnumerable<GenerationUpdate> StreamAsync(GenerationRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(request, streamTokens: true, cancellationToken);

    /// <summary>
    /// Submits a request and yields its updates. Without <paramref name="streamTokens"/> the loop sends only
    /// each sample's end and the result: no per-token wake-up of the caller's thread, which on a machine
    /// with as many decode threads as cores would preempt a decoding thread every token.
    /// </summary>
    private async IAsyncEnumerable<GenerationUpdate> RunAsync(GenerationRequest request, bool streamTokens,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(request);
        // Speculation serves one request at a time; while the loop has work, a request batched with it costs the
        // machine almost nothing extra, whereas one speculated beside it would take turns with every step.
        var speculative = _speculative is not null && SpeculativeDecoder.Accepts(request) && _loop.IsIdle && _speculative.TryReserve();
        RequestState state;
        try
        {
            state = Prepare(request, withSamplers: !speculative);
        }
        catch
        {
            if (speculative)
            {
                _speculative!.Release();
            }
            throw;
        }
        state.StreamTokens = streamTokens;
        await foreach (var update in SubmitAsync(state, speculative, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>
    /// Hands a prepared request to the decode loop (or the speculative decoder) and yields its updates until the
    /// result. Cancelling, or leaving the enumeration early, frees its sequences at once.
    /// </summary>
    private async IAsyncEnumerable<GenerationUpdate> SubmitAsync(RequestState state, bool speculative,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            if (speculative)
            {
                _speculative!.Submit(state);
            }
            else
            {
                _loop.Submit(state);
            }
        }
        catch
        {
            Array.ForEach(state.Samplers, s => s.Dispose());
            if (speculative)
            {
                _speculative!.Release();
            }
            throw;
        }
        using var registration = cancellationToken.Register(() =>
        {
            state.RequestCancel();
            _loop.Wake();
        });
        var completed = false;
        try
        {
            await foreach (var update in state.Output.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                completed = update.Result is not null;
                yield return update;
            }
        }
        finally
        {
            if (!completed)
            {
                state.RequestCancel();
                _loop.Wake();
            }
        }
    }

    /// <summary>Generates all samples of a request. Throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        await foreach (var update in RunAsync(request, streamTokens: false, cancellationToken).ConfigureAwait(false))
        {
            if (update.Result is { } result)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return result;
            }
        }
        throw new InvalidOperationException("The decode loop ended a request without a result.");
    }

    /// <summary>Tokenizes and checks a request against the context before it goes to the loop.</summary>
    private RequestState Prepare(GenerationRequest request, bool withSamplers = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Sampling.Validate();
        if (request.SampleCount < 1)
        {
            throw new ArgumentException($"The number of samples must be at least 1 (got {request.SampleCount}).");
        }
        if (request.SampleCount > MaxSequences)
        {
            throw new ArgumentException($"{request.SampleCount} samples requested but the engine decodes at most {MaxSequences} sequences (raise the sequence count).");
        }
        if (request.MaxTokens is < 1)
        {
            throw new ArgumentException($"Max tokens must be at least 1 (got {request.MaxTokens}).");
        }
        if (request.DefaultMaxTokens is < 1)
        {
            throw new ArgumentException($"Default max tokens must be at least 1 (got {request.DefaultMaxTokens}).");
        }
        if (request.TopLogprobs is < 0 or > 20)
        {
            throw new ArgumentException($"Top logprobs must be between 0 and 20 (got {request.TopLogprobs}).");
        }
        if (request.StopSequences.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Stop sequences must not be empty.");
        }

        var vocabulary = Model.Vocabulary;
        var prompt = request.PromptTokens is { } tokens ? tokens.ToArray() : Tokenize(request);
        foreach (var token in prompt)
        {
            vocabulary.CheckToken(token);
        }
        if (prompt.Length == 0)
        {
            throw new ArgumentException("The prompt is empty (and the model adds no BOS token).");
        }
        var capacity = SequenceContextSize;
        var holds = SharedKvCache ? $"the context holds {capacity}" : $"each sequence's share of the context holds {capacity}";
        if (prompt.Length >= capacity)
        {
            throw new ContextLengthExceededException($"The prompt has {prompt.Length} tokens but {holds}.");
        }

        // Shared cache: the prompt's cells are shared and every sample adds its own, all from one pool that
        // admission reserves. Split cache: each sequence has its own stream holding a copy of the prompt.
        var samplesInPool = SharedKvCache ? request.SampleCount : 1;
        var maxTokens = request.MaxTokens ?? Math.Max(1, Math.Min(request.DefaultMaxTokens ?? int.MaxValue, (capacity - prompt.Length) / samplesInPool));
        var needed = prompt.Length + (long)samplesInPool * maxTokens;
        if (needed > capacity)
        {
            var what = samplesInPool > 1 ? $"{samplesInPool} x {maxTokens}" : $"{maxTokens}";
            throw new ContextLengthExceededException(
                $"The prompt ({prompt.Length} tokens) plus {what} new tokens needs {needed} cells but {holds}; lower max tokens or samples, or raise the context size.");
        }
        var seed = request.Sampling.Seed ?? (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        // The speculative decoder samples in managed code (it compares target and draft probabilities).
        var samplers = new SafeLlamaSamplerHandle[withSamplers ? request.SampleCount : 0];
        try
        {
            for (var i = 0; i < samplers.Length; i++)
            {
                samplers[i] = SamplerChainFactory.Create(request.Sampling, vocabulary, SamplerSettings.SampleSeed(seed, i), ContextSize);
            }
        }
        catch
        {
            foreach (var sampler in samplers)
            {
                sampler?.Dispose();
            }
            throw;
        }
        return new RequestState(request, prompt, maxTokens, seed, samplers, reservedCells: SharedKvCache ? (int)needed : 0);
    }

    private int[] Tokenize(GenerationRequest request)
    {
        var text = request.Prompt ?? string.Empty;
        var vocabulary = Model.Vocabulary;
        // Chat templates such as Llama 3's write BOS themselves; adding another would double it.
        var addSpecial = request.AddSpecialTokens
            && !(request.ParseSpecialTokens && vocabulary.Bos is { } bos && text.StartsWith(vocabulary.TokenText(bos), StringComparison.Ordinal));
        return vocabulary.Tokenize(text, addSpecial, request.ParseSpecialTokens);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _loop.Dispose();
        _speculative?.Dispose();
        _context.Dispose();
        _compute.Dispose();
        if (Speculative is { OwnsDraftModel: true, DraftModel: { } draft })
        {
            draft.Dispose();
        }
        if (_ownsModel)
        {
            Model.Dispose();
        }
    }
}
