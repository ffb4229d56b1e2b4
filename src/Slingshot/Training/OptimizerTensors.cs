using System.Numerics.Tensors;
using Slingshot.Native.Interop;

namespace Slingshot.Training;

/// <summary>The AdamW moments of every trained tensor and the step counter: what a checkpoint needs to continue
/// an optimizer exactly. SGD has no moments.</summary>
/// <param name="Iteration">ggml-opt's <c>iter</c> (steps taken + 1), which drives AdamW's bias correction.</param>
/// <param name="Moments">Per tensor name: the first and second moments.</param>
public sealed record OptimizerSnapshot(long Iteration, IReadOnlyDictionary<string, (float[] First, float[] Second)> Moments);

/// <summary>
/// The tensors ggml-opt keeps in its static context for llama.cpp's training graphs: one gradient accumulator
/// per trained tensor (the tensor's shape; the graph allocator names them leaf_N), one for the loss (a scalar that
/// must stay 1), and for AdamW
/// the moments ("AdamW m for X", "AdamW v for X"). Found by walking the context with ggml_get_first/next_tensor
/// once the first pass has allocated them; every count is checked so that a different build fails loudly
/// instead of zeroing the wrong memory.
/// </summary>
internal sealed unsafe class OptimizerTensors
{
    private const string FirstPrefix = "AdamW m for ";
    private const string SecondPrefix = "AdamW v for ";
    private readonly nint _optContext;
    private readonly List<nint> _gradients;
    private readonly Dictionary<string, (nint First, nint Second)> _moments;

    private OptimizerTensors(nint optContext, List<nint> gradients, Dictionary<string, (nint, nint)> moments)
    {
        _optContext = optContext;
        _gradients = gradients;
        _moments = moments;
    }

    public static OptimizerTensors Find(nint optContext, IReadOnlyDictionary<string, nint> trainable, OptimizerKind optimizer, int optPeriod, long stepsTaken)
    {
        var expectedType = optimizer == OptimizerKind.AdamW ? 0 : 1;
        var type = GgmlOptContextLayout.ReadOptimizer(optContext);
        var period = GgmlOptContextLayout.ReadOptPeriod(optContext);
        var iter = GgmlOptContextLayout.ReadIter(optContext);
        if (type != expectedType || period != optPeriod || iter != stepsTaken + 1)
        {
            throw Mismatch($"optimizer {type} (expected {expectedType}), period {period} (expected {optPeriod}), iteration {iter} (expected {stepsTaken + 1})");
        }
        var context = GgmlOptContextLayout.ReadContextStatic(optContext);
        if (context == nint.Zero)
        {
            throw Mismatch("no static context");
        }
        var gradients = new List<nint>();
        var first = new Dictionary<string, nint>(StringComparer.Ordinal);
        var second = new Dictionary<string, nint>(StringComparer.Ordinal);
        var scalars = 0;
        for (var tensor = LlamaNative.ggml_get_first_tensor(context); tensor != null; tensor = LlamaNative.ggml_get_next_tensor(context, tensor))
        {
            var name = GgmlTensor.ReadName(tensor);
            if (tensor->Type != GgmlTypes.F32 || tensor->Data == null)
            {
                throw Mismatch($"tensor '{name}' is not an allocated F32 tensor");
            }
            if (name.StartsWith(FirstPrefix, StringComparison.Ordinal))
            {
                first[name[FirstPrefix.Length..]] = (nint)tensor;
            }
            else if (name.StartsWith(SecondPrefix, StringComparison.Ordinal))
            {
                second[name[SecondPrefix.Length..]] = (nint)tensor;
            }
            else if (GgmlTensor.ElementCount(tensor) == 1)
            {
                scalars++;
            }
            else
            {
                gradients.Add((nint)tensor);
            }
        }
        var wantMoments = optimizer == OptimizerKind.AdamW ? trainable.Count : 0;
        if (gradients.Count != trainable.Count || scalars != 1 || first.Count != wantMoments || second.Count != wantMoments
            || (wantMoments > 0 && !trainable.Keys.All(k => first.ContainsKey(k) && second.ContainsKey(k))))
        {
            throw Mismatch($"{gradients.Count} gradients for {trainable.Count} trained tensors, {scalars} loss gradient(s), {first.Count}/{second.Count} moments");
        }
        var moments = first.ToDictionary(p => p.Key, p => (p.Value, second[p.Key]), StringComparer.Ordinal);
        return new OptimizerTensors(optContext, gradients, moments);
    }

    /// <summary>Sets every gradient accumulator to 0 (the loss gradient stays 1).</summary>
    public void ZeroGradients()
    {
        foreach (var gradient in _gradients)
        {
            Floats(gradient).Clear();
        }
    }

    /// <summary>The L2 norm of all gradients together.</summary>
    public double GradientNorm()
    {
        double sum = 0;
        foreach (var gradient in _gradients)
        {
            sum += TensorPrimitives.SumOfSquares(Floats(gradient));
        }
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// The trained tensors whose AdamW second moment is still zero everywhere: no step so far gave them a gradient.
    /// In llama.cpp's training graph that is true of attn_k and attn_v (see <see cref="TrainingSession.TensorsWithoutGradient"/>).
    /// </summary>
    public IReadOnlyList<string> WithoutGradient() =>
        [.. _moments.Where(p => Floats(p.Value.Second).IndexOfAnyExcept(0f) < 0).Select(p => p.Key).Order(StringComparer.Ordinal)];

    public OptimizerSnapshot Read()
    {
        var moments = _moments.ToDictionary(
            p => p.Key,
            p => (Floats(p.Value.First).ToArray(), Floats(p.Value.Second).ToArray()),
            StringComparer.Ordinal);
        return new OptimizerSnapshot(GgmlOptContextLayout.ReadIter(_optContext), moments);
    }

    public void Write(OptimizerSnapshot snapshot)
    {
        if (snapshot.Moments.Count != _moments.Count || !_moments.Keys.All(snapshot.Moments.ContainsKey))
        {
            throw new SlingshotException("The checkpoint's optimizer state is for other tensors than this run trains; resume with the same tensor selection and optimizer.");
        }
        foreach (var (name, (first, second)) in _moments)
        {
            var saved = snapshot.Moments[name];
            var m = Floats(first);
            var v = Floats(second);
            if (saved.First.Length != m.Length || saved.Second.Length != v.Length)
            {
                throw new SlingshotException($"The checkpoint's optimizer state for '{name}' has another size than the model's tensor.");
            }
            saved.First.CopyTo(m);
            saved.Second.CopyTo(v);
        }
        if (snapshot.Iteration < 1)
        {
            throw new SlingshotException($"The checkpoint's optimizer iteration {snapshot.Iteration} is invalid.");
        }
        GgmlOptContextLayout.WriteIter(_optContext, snapshot.Iteration);
    }

    private static Span<float> Floats(nint tensor)
    {
        var t = (GgmlTensor*)tensor;
        return new Span<float>(t->Data, checked((int)GgmlTensor.ElementCount(t)));
    }

    private static SlingshotException Mismatch(string what) => new(
        $"llama.cpp's optimizer state is not laid out as the pinned build's ({what}); training needs the exact llama.cpp build the bindings mirror.");
}
