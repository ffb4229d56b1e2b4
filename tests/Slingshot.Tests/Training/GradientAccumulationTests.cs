using Slingshot.Training;

namespace Slingshot.Tests.Training;

/// <summary>
/// llama.cpp's training path never resets ggml-opt's gradient accumulators (the reset runs on a graph pointer that
/// is already NULL), so every step's gradient is the sum of all gradients so far. The session zeroes them after
/// each step. Two steps on the same window at a negligible learning rate see the same gradient twice: with the
/// reset the second norm equals the first; without it, it doubles.
/// </summary>
public sealed class GradientAccumulationTests
{
    [Fact]
    public void Train_TwoStepsOnOneWindow_SecondGradientIsNotTheSumOfBoth()
    {
        var (first, second) = TwoNorms();

        Assert.InRange(second / first, 0.99, 1.01);
    }

    [Fact]
    public void Train_WithUpstreamGradients_SecondGradientIsTheSum()
    {
        Environment.SetEnvironmentVariable(TrainingSession.UpstreamGradientsVariable, "1");
        try
        {
            var (first, second) = TwoNorms();

            Assert.InRange(second / first, 1.98, 2.02);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TrainingSession.UpstreamGradientsVariable, null);
        }
    }

    private static (double First, double Second) TwoNorms()
    {
        using var model = LlamaModel.Load(TestPaths.Stories260K, new ModelOptions { UseMemoryMap = false });
        using var session = new TrainingSession(model, TrainingFixtures.Options(), blockCount: 5);
        session.Settings = _ => new StepSettings(1e-12, 0.9, 0.999, 1e-8, 0);
        var window = model.Vocabulary.Tokenize(string.Concat(Enumerable.Repeat("Once upon a time there was a cat. ", 40)))[..257];
        session.EnsureOptimizerState(window);

        session.Train(window, measureGradientNorm: true);
        var first = session.LastGradientNorm!.Value;
        session.Train(window, measureGradientNorm: true);
        return (first, session.LastGradientNorm!.Value);
    }
}
