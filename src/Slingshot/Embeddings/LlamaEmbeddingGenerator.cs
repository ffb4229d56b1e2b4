using Microsoft.Extensions.AI;
using Slingshot.Native;
using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot.Embeddings;

/// <summary>
/// Text embeddings from a local GGUF model through llama.cpp's embedding mode: each text is decoded alone in a context
/// created with embeddings on and mean pooling, and its pooled vector (the mean of the last hidden states of its
/// tokens) is the embedding. Works with any decoder model; models trained for embeddings give far more useful vectors
/// than generative ones. One context, so texts are embedded one after another.
/// </summary>
public sealed class LlamaEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly SafeLlamaContextHandle _context;
    private readonly LlamaModel _model;
    private readonly bool _ownsModel;
    private readonly LlamaEmbeddingOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly int _maxTokens;
    private bool _disposed;

    /// <summary>Creates an embedding context over <paramref name="model"/>; disposes the model with itself when <paramref name="ownsModel"/>.</summary>
    public LlamaEmbeddingGenerator(LlamaModel model, LlamaEmbeddingOptions? options = null, bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        _options = options ?? new LlamaEmbeddingOptions();
        if (_options.MaxTokens < 1 || _options.Threads is < 1)
        {
            throw new ArgumentException("MaxTokens and Threads must be positive.", nameof(options));
        }
        _model = model;
        _ownsModel = ownsModel;
        _maxTokens = (int)Math.Min(_options.MaxTokens, Math.Max(1, model.Info.TrainContextLength));
        var contextSize = (_maxTokens + 255) / 256 * 256;
        var threads = _options.Threads ?? LlamaRuntime.DefaultThreads;
        var parameters = LlamaNative.llama_context_default_params();
        // The whole text must be one micro-batch: pooling sums over the tokens of the batch being decoded.
        parameters.NCtx = (uint)contextSize;
        parameters.NBatch = (uint)contextSize;
        parameters.NUbatch = (uint)contextSize;
        parameters.NSeqMax = 1;
        parameters.NThreads = threads;
        parameters.NThreadsBatch = threads;
        parameters.Embeddings = true;
        parameters.PoolingType = (int)LlamaPoolingType.Mean;
        parameters.NoPerf = true;
        using (var capture = LlamaLog.Capture())
        {
            var raw = LlamaNative.llama_init_from_model(model.Handle, parameters);
            if (raw == nint.Zero)
            {
                throw new SlingshotException($"llama.cpp could not create an embedding context for '{model.Path}': {capture.Explain()}.");
            }
            _context = new SafeLlamaContextHandle(raw, model.Handle);
        }
        Dimensions = LlamaNative.llama_model_n_embd_out(model.Handle);
        _metadata = new EmbeddingGeneratorMetadata("slingshot", null, Path.GetFileName(model.Path), Dimensions);
    }

    /// <summary>Loads <paramref name="modelPath"/> and creates a generator that owns it.</summary>
    public static LlamaEmbeddingGenerator Load(string modelPath, LlamaEmbeddingOptions? options = null)
    {
        var model = LlamaModel.Load(modelPath);
        try
        {
            return new LlamaEmbeddingGenerator(model, options, ownsModel: true);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Width of every embedding.</summary>
    public int Dimensions { get; }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        var tokens = 0L;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var text in values)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ArgumentNullException.ThrowIfNull(text, nameof(values));
                var (vector, used) = Embed(text);
                tokens += used;
                result.Add(new Embedding<float>(vector) { ModelId = _metadata.DefaultModelId, CreatedAt = DateTimeOffset.UtcNow });
            }
        }
        finally
        {
            _gate.Release();
        }
        result.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return result;
    }

    private unsafe (float[] Vector, int Tokens) Embed(string text)
    {
        var tokens = _model.Vocabulary.Tokenize(text, addSpecial: true);
        if (tokens.Length == 0)
        {
            // Nothing to pool (an empty text with a tokenizer that adds no BOS): the zero vector.
            return (new float[Dimensions], 0);
        }
        var count = Math.Min(tokens.Length, _maxTokens);
        var vocabulary = _model.Vocabulary.Count;
        var batch = LlamaNative.llama_batch_init(count, 0, 1);
        try
        {
            for (var i = 0; i < count; i++)
            {
                // Validate here: an out-of-range id reaching llama_decode is a native abort.
                if ((uint)tokens[i] >= (uint)vocabulary)
                {
                    throw new SlingshotException($"Token id {tokens[i]} is outside the vocabulary of {vocabulary}.");
                }
                batch.Token[i] = new LlamaToken(tokens[i]);
                batch.Pos[i] = new LlamaPos(i);
                batch.NSeqId[i] = 1;
                batch.SeqId[i][0] = new LlamaSeqId(0);
                batch.Logits[i] = 1;
            }
            batch.NTokens = count;
            LlamaNative.llama_memory_clear(LlamaNative.llama_get_memory(_context), data: true);
            using var capture = LlamaLog.Capture();
            var status = LlamaNative.llama_decode(_context, batch);
            if (status != 0)
            {
                throw new SlingshotException($"llama_decode failed ({status}) while embedding: {capture.Explain()}.");
            }
            var pooled = LlamaNative.llama_get_embeddings_seq(_context, new LlamaSeqId(0));
            if (pooled == null)
            {
                throw new SlingshotException("llama.cpp returned no pooled embedding.");
            }
            var vector = new ReadOnlySpan<float>(pooled, Dimensions).ToArray();
            if (_options.Normalize)
            {
                NormalizeInPlace(vector);
            }
            return (vector, count);
        }
        finally
        {
            LlamaNative.llama_batch_free(batch);
        }
    }

    private static void NormalizeInPlace(float[] vector)
    {
        var sum = 0.0;
        foreach (var v in vector)
        {
            sum += v * (double)v;
        }
        if (sum > 0)
        {
            var scale = (float)(1 / Math.Sqrt(sum));
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] *= scale;
            }
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType == typeof(LlamaModel) ? _model
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _context.Dispose();
        _gate.Dispose();
        if (_ownsModel)
        {
            _model.Dispose();
        }
    }
}
