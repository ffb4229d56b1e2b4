using Slingshot.Gguf;
using Slingshot.Tests.Support;

using Slingshot.Generation.ProxyTuning;

namespace Slingshot.Tests.ProxyTuning;

/// <summary>
/// Three generated models sharing the synthetic 512-token vocabulary: a wider "large" base and two tiny ones
/// with different weights standing for a small base and its tuned version. Q8_0, so logits read one token at a
/// time and in one batch agree.
/// </summary>
public sealed class ProxyModels : IDisposable
{
    /// <summary>Twice the tiny preset's width: a different size on the same vocabulary.</summary>
    public const string LargeShape = "vocab=512,embd=128,layers=2,heads=4,kv=2,ff=256,ctx=512";

    public ProxyModels()
    {
        LargeBase = LlamaModel.Load(GeneratedModels.Get(LargeShape, GgmlType.Q8_0, seed: 3));
        SmallBase = LlamaModel.Load(GeneratedModels.Get("tiny", GgmlType.Q8_0, seed: 1));
        SmallTuned = LlamaModel.Load(GeneratedModels.Get("tiny", GgmlType.Q8_0, seed: 2));
    }

    public LlamaModel LargeBase { get; }

    public LlamaModel SmallBase { get; }

    public LlamaModel SmallTuned { get; }

    public static ProxyTuningOptions Options(float alpha, bool record = false) =>
        new() { Alpha = alpha, ContextSize = 512, Threads = 1, RecordStepLogprobs = record };

    public void Dispose()
    {
        LargeBase.Dispose();
        SmallBase.Dispose();
        SmallTuned.Dispose();
    }
}
