using System.Runtime.InteropServices;
using Slingshot.Native;
using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot.Training;

/// <summary>The optimizer settings of one step, as ggml-opt receives them.</summary>
internal readonly record struct StepSettings(double LearningRate, double Beta1, double Beta2, double Epsilon, double WeightDecay);

/// <summary>Loss and token accuracy of one window.</summary>
internal readonly record struct WindowResult(double Loss, double Accuracy, int Tokens);

/// <summary>
/// One llama context set up for training a model in place (llama_opt_init): the native side of the trainer.
/// It feeds one window at a time through llama_opt_epoch (a one-datapoint dataset whose tokens are overwritten
/// before every call), so the managed trainer decides order, cancellation and checkpoints between steps. It also
/// does what ggml-opt leaves undone in llama.cpp's training path: it zeroes the gradient accumulators after every
/// optimizer step (otherwise each step's gradient is the sum of all gradients so far, see
/// <see cref="GgmlOptContextLayout"/>), and it reads and writes the AdamW moments and step counter for checkpoints.
/// </summary>
internal sealed unsafe partial class TrainingSession : IDisposable
{
    /// <summary>Set to 1 to leave the gradients as llama.cpp does (accumulated over all steps): only to measure the difference.</summary>
    public const string UpstreamGradientsVariable = "SLINGSHOT_TRAIN_UPSTREAM_GRADIENTS";

    [ThreadStatic]
    private static TrainingSession? t_active;

    private readonly bool _zeroGradients = Environment.GetEnvironmentVariable(UpstreamGradientsVariable) != "1";

    private readonly SafeLlamaContextHandle _context;
    private readonly SafeGgmlOptDatasetHandle _dataset;
    private readonly SafeGgmlOptResultHandle _result;
    private readonly int _contextSize;
    private readonly int _vocabularySize;
    private readonly OptimizerKind _optimizer;
    private readonly int _optPeriod;
    private readonly Dictionary<string, nint> _trainable = new(StringComparer.Ordinal);
    private readonly List<string> _frozenCandidates = [];
    private readonly TensorSelection _selection;
    private readonly int _blockCount;
    private GCHandle _self;
    private nint _optContext;
    private OptimizerTensors? _tensors;
    private Exception? _callbackError;
    private long _steps;
    private long _stepsSeenByCallback;
    private long _stepsInSession;
    private bool _wantGradientNorm;

    public TrainingSession(LlamaModel model, TrainingOptions options, int blockCount)
    {
        _contextSize = options.ContextSize;
        _vocabularySize = model.Vocabulary.Count;
        _optimizer = options.Optimizer;
        _selection = options.Trainable;
        _blockCount = blockCount;
        _optPeriod = options.ContextSize / options.EffectiveMicroBatch;
        var threads = options.EffectiveThreads;

        var parameters = LlamaNative.llama_context_default_params();
        parameters.NCtx = (uint)options.ContextSize;
        parameters.NBatch = (uint)options.ContextSize;
        parameters.NUbatch = (uint)options.EffectiveMicroBatch;
        parameters.NSeqMax = 1;
        parameters.NThreads = threads;
        parameters.NThreadsBatch = threads;
        parameters.TypeK = GgmlTypes.F32;   // OUT_PROD has no F16 backward: llama-finetune forces F32 caches too
        parameters.TypeV = GgmlTypes.F32;
        parameters.FlashAttnType = 0;       // FLASH_ATTN_EXT has no backward pass
        parameters.NoPerf = true;
        using (var capture = LlamaLog.Capture())
        {
            var raw = LlamaNative.llama_init_from_model(model.Handle, parameters);
            if (raw == nint.Zero)
            {
                throw new SlingshotException($"llama.cpp could not create a training context of {options.ContextSize} tokens for '{Path.GetFileName(model.Path)}': {capture.Explain()}.");
            }
            _context = new SafeLlamaContextHandle(raw, model.Handle);
        }
        _self = GCHandle.Alloc(this);
        try
        {
            using var pool = SafeGgmlThreadpoolHandle.TryCreate(threads);
            if (pool is not null)
            {
                _context.KeepAlive(pool);
                LlamaNative.llama_attach_threadpool(_context, pool.DangerousGetHandle(), pool.DangerousGetHandle());
            }
            LlamaNative.llama_set_n_threads(_context, threads, threads);
            WarmUp(model);

            var opt = new LlamaOptParams
            {
                NCtxTrain = 0,
                ParamFilter = &FilterTensor,
                ParamFilterUserData = (void*)GCHandle.ToIntPtr(_self),
                GetOptPars = &OptimizerParameters,
                GetOptParsUserData = (void*)GCHandle.ToIntPtr(_self),
                OptimizerType = options.Optimizer == OptimizerKind.AdamW ? 0 : 1,
            };
            LlamaNative.llama_opt_init(_context, model.Handle, opt);
            ThrowCallbackError();
            if (_trainable.Count == 0)
            {
                throw new ArgumentException(
                    $"No tensor of '{Path.GetFileName(model.Path)}' trains with the selection '{_selection}': llama.cpp trains only F32 tensors and never token_embd.weight"
                    + (_frozenCandidates.Count > 0 ? $" (F32 tensors outside the selection: {string.Join(", ", _frozenCandidates.Take(4))}{(_frozenCandidates.Count > 4 ? ", ..." : "")})." : "."));
            }

            _dataset = new SafeGgmlOptDatasetHandle(LlamaNative.ggml_opt_dataset_init(GgmlTypes.I32, GgmlTypes.I32, _contextSize, _contextSize, 1, 1));
            _result = new SafeGgmlOptResultHandle(LlamaNative.ggml_opt_result_init());
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Optimizer steps taken (restored from a checkpoint, then counted); the schedule's position.</summary>
    public long Steps
    {
        get => _steps;
        set
        {
            _steps = value;
            _stepsSeenByCallback = value;
        }
    }

    /// <summary>The optimizer settings of step <see cref="Steps"/>; asked once per optimizer step.</summary>
    public Func<long, StepSettings> Settings { get; set; } = _ => new StepSettings(1e-3, 0.9, 0.999, 1e-8, 0);

    /// <summary>L2 norm of the gradient of the last step, when it was asked for.</summary>
    public double? LastGradientNorm { get; private set; }

    /// <summary>Names of the tensors that train, with their live data.</summary>
    public IReadOnlyDictionary<string, nint> Trainable => _trainable;

    /// <summary>Trains on one window of <c>contextSize + 1</c> tokens: one optimizer step.</summary>
    public WindowResult Train(ReadOnlySpan<int> window, bool measureGradientNorm)
    {
        _wantGradientNorm = measureGradientNorm;
        LastGradientNorm = null;
        return Run(window, train: true);
    }

    /// <summary>Loss and accuracy of one window without changing the model.</summary>
    public WindowResult Evaluate(ReadOnlySpan<int> window) => Run(window, train: false);

    private WindowResult Run(ReadOnlySpan<int> window, bool train)
    {
        ObjectDisposedException.ThrowIf(_result is null || _result.IsClosed, this);
        if (window.Length != _contextSize + 1)
        {
            throw new ArgumentException($"A training window holds {_contextSize + 1} tokens (got {window.Length}).");
        }
        foreach (var token in window)
        {
            if ((uint)token >= (uint)_vocabularySize)
            {
                throw new ArgumentException($"Token {token} is outside the model's vocabulary of {_vocabularySize}.");
            }
        }
        var data = LlamaNative.ggml_opt_dataset_data(_dataset.DangerousGetHandle());
        var labels = LlamaNative.ggml_opt_dataset_labels(_dataset.DangerousGetHandle());
        window[.._contextSize].CopyTo(new Span<int>(data->Data, _contextSize));
        window[1..].CopyTo(new Span<int>(labels->Data, _contextSize));

        LlamaNative.ggml_opt_result_reset(_result.DangerousGetHandle());
        var previous = t_active;
        t_active = this;
        try
        {
            var result = _result.DangerousGetHandle();
            if (train)
            {
                LlamaNative.llama_opt_epoch(_context, _dataset.DangerousGetHandle(), result, nint.Zero, 1, &AfterTrainingPass, null);
            }
            else
            {
                LlamaNative.llama_opt_epoch(_context, _dataset.DangerousGetHandle(), nint.Zero, result, 0, null, &AfterEvaluationPass);
            }
        }
        finally
        {
            t_active = previous;
        }
        ThrowCallbackError();
        double loss, lossUncertainty, accuracy, accuracyUncertainty;
        long tokens;
        LlamaNative.ggml_opt_result_loss(_result.DangerousGetHandle(), &loss, &lossUncertainty);
        LlamaNative.ggml_opt_result_accuracy(_result.DangerousGetHandle(), &accuracy, &accuracyUncertainty);
        LlamaNative.ggml_opt_result_ndata(_result.DangerousGetHandle(), &tokens);
        if (tokens != _contextSize)
        {
            throw new SlingshotException($"llama.cpp evaluated {tokens} of the window's {_contextSize} tokens (see its log).");
        }
        return new WindowResult(loss, accuracy, (int)tokens);
    }

    /// <summary>
    /// Decodes one token and forgets it. ggml-opt computes on the CPU backend with whatever thread count and pool
    /// the backend last received, which only a decode sets: without this the first training graphs run on ggml's
    /// default of 4 threads, whose busy-waiting barrier on 2 cores made a 256-token step 2.5 s instead of 0.04 s.
    /// </summary>
    private void WarmUp(LlamaModel model)
    {
        using var batch = new Generation.NativeBatch(1);
        batch.Add(model.Vocabulary.Bos ?? 0, 0, 0, wantLogits: true);
        var rc = LlamaNative.llama_decode(_context, batch.Native);
        if (rc != 0)
        {
            throw new SlingshotException($"llama.cpp could not decode in the training context (code {rc}).");
        }
        LlamaNative.llama_memory_clear(LlamaNative.llama_get_memory(_context), true);
    }

    private void ThrowCallbackError()
    {
        if (_callbackError is { } error)
        {
            _callbackError = null;
            throw error as SlingshotException ?? new SlingshotException($"Training failed in a callback: {error.Message}", error);
        }
    }

    public void Dispose()
    {
        _result?.Dispose();
        _dataset?.Dispose();
        _context.Dispose();
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }
}
