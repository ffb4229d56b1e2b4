namespace Slingshot.Generation.ProxyTuning;

/// <summary>A proxy-tuned generation: the sample, and the combined distribution of each step when recorded.</summary>
/// <param name="Result">The sample with its usage (prompt tokens counted once, though three models read them) and timings.</param>
/// <param name="StepLogprobs">Entry t is the combined log-probability of every token at step t (the step that chose
/// token t of the sample, and one more for a step that ended it); empty unless <see cref="ProxyTuningOptions.RecordStepLogprobs"/>.</param>
public sealed record ProxyTuningResult(GenerationResult Result, IReadOnlyList<float[]> StepLogprobs)
{
    /// <summary>The one sample.</summary>
    public Sample Sample => Result.Samples[0];
}
