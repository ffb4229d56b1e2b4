using Slingshot.Evaluation.Cascades;

namespace Slingshot.Evaluation.Optimization;

/// <summary>
/// The Wilson score interval of an accuracy measured on n problems: the lower end decides whether a configuration
/// reaches a target "at a confidence" (one-sided), the two ends are the error bars a report draws.
/// </summary>
public static class WilsonInterval
{
    /// <summary>Lower end, one-sided at <paramref name="confidence"/>; 0 without problems.</summary>
    public static double Lower(double accuracy, int problems, double confidence) =>
        CalibrationObjective.WilsonLowerBound(Clamp(accuracy), problems, confidence);

    /// <summary>Upper end, one-sided at <paramref name="confidence"/> (the interval is symmetric in accuracy and error); 1 without problems.</summary>
    public static double Upper(double accuracy, int problems, double confidence) =>
        problems <= 0 ? 1 : 1 - CalibrationObjective.WilsonLowerBound(1 - Clamp(accuracy), problems, confidence);

    private static double Clamp(double accuracy) => double.IsFinite(accuracy) ? Math.Clamp(accuracy, 0, 1) : 0;
}
