using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot.Generation.ProxyTuning;

/// <summary>
/// Proxy-tuning (Liu et al. 2024): steers a large base model with the difference between a small tuned model
/// and its small base, without touching the large model's weights. At every step the three models read the
/// same text, their next-token distributions are combined by <see cref="ProxyLogitArithmetic"/>, and one token
/// is drawn from the combination (greedy, or temperature/top-k/top-p/min-p with a seed, as
/// <see cref="SamplerSettings"/> says) and fed to all three. The models must share one vocabulary, which the
/// constructor checks. One generation runs at a time; concurrent calls wait their turn.
/// </summary>
public sealed class ProxyTunedGenerator : IDisposable
{
    private readonly SequenceContext _largeBase;
    private readonly SequenceContext _smallBase;
    private readonly SequenceContext _smallTuned;
    private readonly LlamaModel[] _ownedModels;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _disposed;

    /// <summary>Creates a generator over three loaded models (which must outlive it unless <paramref name="ownsModels"/>).</summary>
    /// <param name="largeBase">The model whose knowledge is used.</param>
    /// <param name="smallBase">The small model before tuning.</param>
    /// <param name="smallTuned">The same small model after tuning: the behaviour to transfer.</param>
    /// <param name="options">Alpha, context size, threads.</param>
    /// <param name="ownsModels">Dispose the three models with the generator.</param>
    public ProxyTunedGenerator(LlamaModel largeBase, LlamaModel smallBase, LlamaModel smallTuned, ProxyTuningOptions? options = null, bool ownsModels = false)
    {
        ArgumentNullException.ThrowIfNull(largeBase);
        ArgumentNullException.ThrowIfNull(smallBase);
        ArgumentNullException.ThrowIfNull(smallTuned);
        options ??= new ProxyTuningOptions();
        options.Validate();
        VocabularyCompatibility.Check(largeBase, smallBase);
        VocabularyCompatibility.Check(largeBase, smallTuned);
        foreach (var (adapter, _) in options.TunedLoraAdapters)
        {
            if (!ReferenceEquals(adapter?.Model, smallTuned))
            {
                throw new ArgumentException($"LoRA adapter '{adapter?.Path}' was not loaded for the small tuned model; load it with that model.");
            }
        }
        Options = options;
        LargeBase = largeBase;
        var requested = options.ContextSize > 0 ? options.ContextSize : largeBase.DefaultContextSize();
        var contextSize = (requested + 255) / 256 * 256;
        var threads = options.Threads ?? LlamaRuntime.DefaultThreads;
        var sessions = new List<SequenceContext>(3);
        try
        {
            sessions.Add(new SequenceContext(largeBase, contextSize, threads));
            sessions.Add(new SequenceContext(smallBase, contextSize, threads));
            sessions.Add(new SequenceContext(smallTuned, contextSize, threads, options.TunedLoraAdapters));
        }
        catch
        {
            sessions.ForEach(s => s.Dispose());
            throw;
        }
        (_largeBase, _smallBase, _smallTuned) = (sessions[0], sessions[1], sessions[2]);
        ContextSize = sessions.Min(s => s.Capacity);
        _ownedModels = ownsModels ? [largeBase, smallBase, smallTuned] : [];
    }

    /// <summary>Loads the three models and creates a generator that owns them.</summary>
    public static ProxyTunedGenerator Load(string largeBasePath, string smallBasePath, string smallTunedPath,
        ProxyTuningOptions? options = null, ModelOptions? modelOptions = null)
    {
        var models = new List<LlamaModel>(3);
        try
        {
            foreach (var path in new[] { largeBasePath, smallBasePath, smallTunedPath })
            {
                models.Add(LlamaModel.Load(path, modelOptions));
            }
            return new ProxyTunedGenerator(models[0], models[1], models[2], options, ownsModels: true);
        }
        catch
        {
            models.ForEach(m => m.Dispose());
            throw;
        }
    }

    /// <summary>The options it runs with.</summary>
    public ProxyTuningOptions Options { get; }

    /// <summary>The large base model (its vocabulary and chat template are the ones prompts are written for).</summary>
    public LlamaModel LargeBase { get; }

    /// <summary>Most tokens (prompt and generated) one generation can hold.</summary>
    public int ContextSize { get; }

    /// <summary>
    /// Generates one sample of <paramref name="request"/> (its prompt, max tokens, stop sequences and sampler
    /// settings; <see cref="GenerationRequest.SampleCount"/> must be 1). Runs on a worker thread; cancellation is
    /// checked between tokens.
    /// </summary>
    public async Task<ProxyTuningResult> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var (prompt, maxTokens) = Prepare(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Generate(request, prompt, maxTokens, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private (int[] Prompt, int MaxTokens) Prepare(GenerationRequest request)
    {
        request.Sampling.Validate();
        if (request.SampleCount != 1)
        {
            throw new ArgumentException($"Proxy-tuned generation draws one sample per request (got {request.SampleCount}).");
        }
        if (request.MaxTokens is < 1)
        {
            throw new ArgumentException($"Max tokens must be at least 1 (got {request.MaxTokens}).");
        }
        if (request.TopLogprobs is not null)
        {
            throw new ArgumentException("Proxy-tuned generation does not report per-token log-probabilities; use ProxyTuningOptions.RecordStepLogprobs.");
        }
        if (request.StopSequences.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Stop sequences must not be empty.");
        }
        var vocabulary = LargeBase.Vocabulary;
        var prompt = request.PromptTokens is { } tokens
            ? tokens.ToArray()
            : vocabulary.Tokenize(request.Prompt ?? string.Empty, request.AddSpecialTokens, request.ParseSpecialTokens);
        foreach (var token in prompt)
        {
            vocabulary.CheckToken(token);
        }
        if (prompt.Length == 0)
        {
            throw new ArgumentException("The prompt is empty (and the model adds no BOS token).");
        }
        if (prompt.Length >= ContextSize)
        {
            throw new ContextLengthExceededException($"The prompt has {prompt.Length} tokens but the context holds {ContextSize}.");
        }
        var room = ContextSize - prompt.Length;
        var maxTokens = request.MaxTokens ?? Math.Min(request.DefaultMaxTokens ?? int.MaxValue, room);
        if (maxTokens > room)
        {
            throw new ContextLengthExceededException($"The prompt ({prompt.Length} tokens) plus {maxTokens} new tokens do not fit a context of {ContextSize}.");
        }
        return (prompt, maxTokens);
    }

    private ProxyTuningResult Generate(GenerationRequest request, int[] prompt, int maxTokens, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var vocabulary = LargeBase.Vocabulary;
        var seed = request.Sampling.Seed ?? (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        using var sampler = SamplerChainFactory.Create(request.Sampling, vocabulary, seed, ContextSize);
        var size = vocabulary.Count;
        var (large, small, tuned) = (new float[size], new float[size], new float[size]);
        var candidates = new LlamaTokenData[size];
        var steps = new List<float[]>();
        var tokens = new List<int>();
        var text = new StringBuilder();
        var output = new SampleTextAssembler(new TokenTextDecoder(vocabulary), new StopSequenceMatcher(request.StopSequences));
        FinishReason? finish = null;

        foreach (var session in new[] { _largeBase, _smallBase, _smallTuned })
        {
            session.Clear();
        }
        ReadOnlySpan<int> next = prompt;
        long firstToken = 0;
        while (finish is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Step(_largeBase, next, large);
            Step(_smallBase, next, small);
            Step(_smallTuned, next, tuned);
            var combined = new float[size];
            ProxyLogitArithmetic.Combine(large, small, tuned, Options.Alpha, combined);
            if (Options.RecordStepLogprobs)
            {
                steps.Add(combined);
            }
            firstToken = firstToken == 0 ? Stopwatch.GetTimestamp() : firstToken;
            if (Select(sampler, combined, candidates) is not { } token
                || (!request.IgnoreEndOfGeneration && vocabulary.IsEndOfGeneration(token)))
            {
                text.Append(output.Flush());
                finish = FinishReason.Stop;
                break;
            }
            tokens.Add(token);
            var (emit, stopped) = output.Append(token);
            text.Append(emit);
            if (stopped)
            {
                finish = FinishReason.Stop;
            }
            else if (tokens.Count >= maxTokens)
            {
                text.Append(output.Flush());
                finish = FinishReason.Length;
            }
            next = new[] { token };
        }

        var generated = tokens.Count;
        tokens.RemoveRange(output.ShownTokens, tokens.Count - output.ShownTokens); // the tokens of a cut stop sequence
        var sample = new Sample
        {
            Index = 0,
            Text = text.ToString(),
            Tokens = tokens,
            FinishReason = finish.Value,
            Seed = seed,
            Usage = new TokenUsage(prompt.Length, generated),
        };
        // No queue (the gate is taken before the clock starts) and no separate prefill measurement: that part stays null.
        var timings = GenerationTimings.Measure(started, started, prefillDoneAt: 0, firstToken, prompt.Length, Math.Max(0, generated - 1));
        return new ProxyTuningResult(new GenerationResult([sample], new TokenUsage(prompt.Length, generated), timings), steps);
    }

    /// <summary>Applies the sampler chain to the combined distribution; null when no token survives (a grammar with no way forward).</summary>
    private static unsafe int? Select(SafeLlamaSamplerHandle sampler, float[] combined, LlamaTokenData[] candidates)
    {
        for (var i = 0; i < combined.Length; i++)
        {
            candidates[i] = new LlamaTokenData { Id = new LlamaToken(i), Logit = combined[i], P = 0 };
        }
        fixed (LlamaTokenData* data = candidates)
        {
            var array = new LlamaTokenDataArray { Data = data, Size = (nuint)candidates.Length, Selected = -1, Sorted = false };
            LlamaNative.llama_sampler_apply(sampler, &array);
            if (array.Selected < 0 || array.Selected >= (long)array.Size || float.IsNegativeInfinity(array.Data[array.Selected].Logit))
            {
                return null;
            }
            var token = array.Data[array.Selected].Id;
            LlamaNative.llama_sampler_accept(sampler, token);
            return token.Value;
        }
    }

    /// <summary>Decodes <paramref name="tokens"/> after what the model has read and copies its next-token logits.</summary>
    private static void Step(SequenceContext context, ReadOnlySpan<int> tokens, Span<float> logits)
    {
        context.Append(tokens, allLogits: false);
        context.Logits(context.LastPassTokens - 1).CopyTo(logits);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _gate.Wait();
        _largeBase.Dispose();
        _smallBase.Dispose();
        _smallTuned.Dispose();
        foreach (var model in _ownedModels)
        {
            model.Dispose();
        }
        _gate.Dispose();
    }
}
