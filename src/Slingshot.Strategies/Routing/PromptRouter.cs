using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Routing;

/// <summary>
/// A trained router in memory: featurizes a prompt, scores it (P(the small tier fails)) and compares the score
/// with the threshold. Thread-safe: it holds no state that changes.
/// </summary>
public sealed class PromptRouter
{
    private readonly LogisticRegression _classifier;

    /// <summary>A router from a loaded file; <paramref name="threshold"/> overrides the file's calibrated one.</summary>
    public PromptRouter(RouterFile file, double? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        Featurizer = new PromptFeaturizer(file.Features);
        if (file.Weights.Length != file.Features.Dimensions)
        {
            throw new ArgumentException($"{file.Weights.Length} weights for {file.Features.Dimensions} features.", nameof(file));
        }
        _classifier = new LogisticRegression(file.Weights, file.Bias);
        Threshold = threshold ?? file.Threshold;
    }

    /// <summary>Loads the router file at <paramref name="path"/>.</summary>
    public static PromptRouter Load(string path, double? threshold = null) => new(RouterFile.Load(path), threshold);

    /// <summary>Turns prompts into features.</summary>
    public PromptFeaturizer Featurizer { get; }

    /// <summary>Scores at or above this go to the large tier.</summary>
    public double Threshold { get; }

    /// <summary>P(the small tier fails on <paramref name="prompt"/>).</summary>
    public double Score(string prompt, ReadOnlySpan<float> embedding = default) =>
        _classifier.Probability(Featurizer.Featurize(prompt, embedding));

    /// <summary>P(the small tier fails) for features already computed by <see cref="Featurizer"/>.</summary>
    public double Score(SparseVector features) => _classifier.Probability(features);

    /// <summary>Where <paramref name="prompt"/> goes.</summary>
    public RouteDecision Route(string prompt, ReadOnlySpan<float> embedding = default)
    {
        var score = Score(prompt, embedding);
        return new RouteDecision(score >= Threshold ? RouteTier.Large : RouteTier.Small, score, Threshold);
    }

    /// <summary>
    /// The text a router reads from a conversation: the user messages' text, one per line. Training and serving use
    /// this same function so that the features agree.
    /// </summary>
    public static string PromptText(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return string.Join('\n', messages.Where(m => m.Role == ChatRole.User).Select(m => m.Text));
    }
}
