namespace Slingshot.Strategies.Routing;

/// <summary>Settings of <see cref="LogisticRegression.Train"/>.</summary>
public sealed record LogisticRegressionOptions
{
    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 12;

    /// <summary>AdaGrad base step.</summary>
    public double LearningRate { get; init; } = 0.2;

    /// <summary>L2 penalty, applied to the weights of an example's features at each of its steps (not to the bias).</summary>
    public double L2 { get; init; } = 1e-4;

    /// <summary>Seed of the example order, so training is reproducible.</summary>
    public int Seed { get; init; } = 17;
}

/// <summary>
/// A logistic-regression classifier over sparse features: P(label = 1 | x) = sigmoid(w·x + b). Trained by AdaGrad
/// (per-feature steps, which suits hashed word features that are mostly rare) with an L2 penalty, in a seeded order.
/// </summary>
public sealed class LogisticRegression
{
    /// <summary>A model with the given weights and bias.</summary>
    public LogisticRegression(float[] weights, double bias)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Weights = weights;
        Bias = bias;
    }

    /// <summary>One weight per feature.</summary>
    public float[] Weights { get; }

    /// <summary>The intercept.</summary>
    public double Bias { get; }

    /// <summary>P(label = 1) for <paramref name="features"/>.</summary>
    public double Probability(SparseVector features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Sigmoid(features.Dot(Weights) + Bias);
    }

    /// <summary>Fits a model of <paramref name="dimensions"/> features to <paramref name="examples"/>.</summary>
    public static LogisticRegression Train(IReadOnlyList<(SparseVector Features, bool Label)> examples, int dimensions,
        LogisticRegressionOptions? options = null, IProgress<int>? epochsDone = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new LogisticRegressionOptions();
        if (examples.Count == 0)
        {
            throw new ArgumentException("No training examples.", nameof(examples));
        }
        var weights = new float[dimensions];
        var squares = new double[dimensions];
        // Start the bias at the log-odds of the base rate, so early steps learn features rather than the prior.
        var positives = examples.Count(e => e.Label);
        var rate = Math.Clamp(positives / (double)examples.Count, 1e-3, 1 - 1e-3);
        var bias = Math.Log(rate / (1 - rate));
        var biasSquares = 0.0;
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var random = new Random(options.Seed);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var index in order)
            {
                var (x, label) = examples[index];
                var gradient = Sigmoid(x.Dot(weights) + bias) - (label ? 1 : 0);
                for (var i = 0; i < x.Indices.Length; i++)
                {
                    var j = x.Indices[i];
                    var g = gradient * x.Values[i] + options.L2 * weights[j];
                    squares[j] += g * g;
                    weights[j] -= (float)(options.LearningRate * g / (Math.Sqrt(squares[j]) + 1e-8));
                }
                biasSquares += gradient * gradient;
                bias -= options.LearningRate * gradient / (Math.Sqrt(biasSquares) + 1e-8);
            }
            epochsDone?.Report(epoch + 1);
        }
        return new LogisticRegression(weights, bias);
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
