namespace Slingshot.Training;

/// <summary>
/// The learning rate of every optimizer step: linear warm-up to the peak, then cosine, linear or no decay to the
/// minimum at the last step. A pure function of the step index, so a resumed run continues exactly where it was.
/// </summary>
/// <param name="Peak">Rate at the end of warm-up.</param>
/// <param name="Minimum">Rate at the last step (above 0).</param>
/// <param name="WarmupSteps">Steps of warm-up; step i of them uses Peak x (i + 1) / WarmupSteps.</param>
/// <param name="TotalSteps">All steps of the run.</param>
/// <param name="Decay">The decay's shape.</param>
public sealed record LearningRateSchedule(double Peak, double Minimum, long WarmupSteps, long TotalSteps, DecayKind Decay)
{
    /// <summary>The schedule <paramref name="options"/> asks for over <paramref name="totalSteps"/> steps.</summary>
    public static LearningRateSchedule For(TrainingOptions options, long totalSteps)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warmup = options.WarmupSteps ?? Math.Max(1, (long)Math.Round(totalSteps * 0.05));
        return new LearningRateSchedule(options.LearningRate, options.MinLearningRate ?? options.LearningRate / 10,
            Math.Min(warmup, Math.Max(0, totalSteps - 1)), Math.Max(1, totalSteps), options.Decay);
    }

    /// <summary>The rate of step <paramref name="step"/> (0-based); past the end it stays at the last value.</summary>
    public double At(long step)
    {
        step = Math.Clamp(step, 0, TotalSteps - 1);
        if (step < WarmupSteps)
        {
            return Peak * (step + 1) / WarmupSteps;
        }
        var decaySteps = TotalSteps - WarmupSteps - 1;
        var progress = decaySteps <= 0 ? 1.0 : (double)(step - WarmupSteps) / decaySteps;
        var rate = Decay switch
        {
            DecayKind.Cosine => Minimum + (Peak - Minimum) * 0.5 * (1 + Math.Cos(Math.PI * progress)),
            DecayKind.Linear => Peak + (Minimum - Peak) * progress,
            _ => Peak,
        };
        // ggml-opt asserts on a rate of 0; rounding must never get there.
        return Math.Max(rate, Math.Min(Minimum, Peak) * 0.5);
    }
}
