using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Slingshot.Native.Interop;

namespace Slingshot.Training;

// The native callbacks. None may let an exception escape into native code: each catches everything, keeps the
// first error for the managed caller, and returns a value that lets llama.cpp finish the call harmlessly.
internal sealed unsafe partial class TrainingSession
{
    /// <summary>llama_opt_param_filter: called for every F32 tensor llama.cpp could train.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte FilterTensor(GgmlTensor* tensor, void* userData)
    {
        try
        {
            var session = (TrainingSession)GCHandle.FromIntPtr((nint)userData).Target!;
            var name = GgmlTensor.ReadName(tensor);
            // llama.cpp skips these two after asking (its FIXMEs): never report them as training.
            if (name is "token_embd.weight" or "rope_freqs.weight")
            {
                return 0;
            }
            if (!session._selection.Includes(name, session._blockCount))
            {
                session._frozenCandidates.Add(name);
                return 0;
            }
            session._trainable[name] = (nint)tensor;
            return 1;
        }
        catch (Exception ex)
        {
            Keep(userData, ex);
            return 0;
        }
    }

    /// <summary>ggml_opt_get_optimizer_params: called right before every optimizer step.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static GgmlOptOptimizerParams OptimizerParameters(void* userData)
    {
        // Values ggml-opt accepts whatever goes wrong (it asserts on a rate of 0 or betas outside [0, 1]).
        var safe = new GgmlOptOptimizerParams { AdamwAlpha = 1e-12f, AdamwBeta1 = 0.9f, AdamwBeta2 = 0.999f, AdamwEps = 1e-8f, SgdAlpha = 1e-12f };
        try
        {
            var session = (TrainingSession)GCHandle.FromIntPtr((nint)userData).Target!;
            var s = session.Settings(session.Steps);
            var rate = (float)s.LearningRate;
            if (!(rate > 0) || !float.IsFinite(rate) || !(s.Beta1 is >= 0 and <= 1) || !(s.Beta2 is >= 0 and <= 1)
                || !(s.WeightDecay is >= 0 and <= 1) || !(s.Epsilon >= 0))
            {
                throw new SlingshotException($"Step {session.Steps}: optimizer settings outside what ggml-opt accepts ({s}).");
            }
            session._steps++;
            session._stepsInSession++;
            return new GgmlOptOptimizerParams
            {
                AdamwAlpha = rate,
                AdamwBeta1 = (float)s.Beta1,
                AdamwBeta2 = (float)s.Beta2,
                AdamwEps = (float)s.Epsilon,
                AdamwWd = (float)s.WeightDecay,
                SgdAlpha = rate,
                SgdWd = (float)s.WeightDecay,
            };
        }
        catch (Exception ex)
        {
            Keep(userData, ex);
            return safe;
        }
    }

    /// <summary>ggml_opt_epoch_callback after every training ubatch: zeroes the gradients once a step is done.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void AfterTrainingPass(byte train, nint optContext, nint dataset, nint result, long batch, long batchMax, long startMicroseconds)
    {
        var session = t_active;
        if (session is null)
        {
            return;
        }
        try
        {
            session._optContext = optContext;
            session.Tensors();
            if (session.Steps != session._stepsSeenByCallback)
            {
                session._stepsSeenByCallback = session.Steps;
                if (session._wantGradientNorm)
                {
                    session.LastGradientNorm = session._tensors!.GradientNorm();
                }
                if (session._zeroGradients)
                {
                    session._tensors!.ZeroGradients();
                }
            }
        }
        catch (Exception ex)
        {
            session._callbackError ??= ex;
        }
    }

    /// <summary>ggml_opt_epoch_callback after every evaluation ubatch: only learns the optimizer context.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void AfterEvaluationPass(byte train, nint optContext, nint dataset, nint result, long batch, long batchMax, long startMicroseconds)
    {
        if (t_active is { } session)
        {
            session._optContext = optContext;
        }
    }

    private static void Keep(void* userData, Exception ex)
    {
        try
        {
            var session = (TrainingSession)GCHandle.FromIntPtr((nint)userData).Target!;
            session._callbackError ??= ex;
        }
        catch
        {
            // Nothing more can be done inside a native callback.
        }
    }

    /// <summary>Finds (once) the optimizer's gradients and moments, after the first pass allocated them.</summary>
    private OptimizerTensors Tensors()
    {
        if (_tensors is null)
        {
            if (_optContext == nint.Zero)
            {
                throw new InvalidOperationException("The optimizer state does not exist before the first pass.");
            }
            _tensors = OptimizerTensors.Find(_optContext, _trainable, _optimizer, _optPeriod, _stepsInSession);
        }
        return _tensors;
    }

    /// <summary>Makes sure the optimizer state exists (a forward pass over <paramref name="window"/> allocates it).</summary>
    public void EnsureOptimizerState(ReadOnlySpan<int> window)
    {
        if (_tensors is null)
        {
            if (_optContext == nint.Zero)
            {
                Evaluate(window);
            }
            Tensors();
        }
    }

    /// <summary>
    /// The tensors chosen to train that no step so far gave a gradient (AdamW only: read from its second moments; null
    /// for SGD or before the first step). llama.cpp writes each layer's K and V into its KV cache and attention reads
    /// them back from the cache, and its graph has no backward pass through that write, so attn_k and attn_v (and
    /// anything before them on that path) never train: they keep their initial weights. Measured on the pinned
    /// build; reported so that a run says what it really trained.
    /// </summary>
    public IReadOnlyList<string>? TensorsWithoutGradient() =>
        _optimizer == OptimizerKind.AdamW && Steps > 0 && _tensors is { } tensors ? tensors.WithoutGradient() : null;

    /// <summary>The AdamW moments and step counter (empty moments for SGD), for a checkpoint.</summary>
    public OptimizerSnapshot ReadOptimizerState() =>
        _tensors?.Read() ?? throw new InvalidOperationException("No optimizer state before the first pass.");

    /// <summary>Restores a checkpoint's moments and step counter before the first step of a resumed run.</summary>
    public void WriteOptimizerState(OptimizerSnapshot snapshot) =>
        (_tensors ?? throw new InvalidOperationException("No optimizer state before the first pass.")).Write(snapshot);
}
