using Microsoft.Extensions.AI;
using Slingshot.Strategies.Routing;

namespace Slingshot.Evaluation.Routing;

/// <summary>
/// Trains a router from labelled examples (label: the small tier fails) and scores examples with one: featurize
/// (embedding the prompts in batches when the features include an embedding), fit the logistic regression, and
/// calibrate the threshold so that the target share of training prompts goes to the large tier.
/// </summary>
public static class RouterTrainer
{
    private const int EmbeddingBatch = 16;

    /// <summary>Trains a router file from <paramref name="examples"/>.</summary>
    public static async Task<RouterFile> TrainAsync(IReadOnlyList<RoutingExample> examples, RouterTrainingOptions options,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings = null, IProgress<RoutingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        if (options.TargetLargeShare is < 0 or > 1 || double.IsNaN(options.TargetLargeShare))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TargetLargeShare, "The target large-call share must be in [0, 1].");
        }
        if (examples.Count == 0)
        {
            throw new ArgumentException("No training examples.", nameof(examples));
        }
        var featurizer = new PromptFeaturizer(options.Features);
        var features = await FeaturizeAsync(featurizer, examples, embeddings, progress, cancellationToken).ConfigureAwait(false);
        var labelled = features.Select((x, i) => (x, examples[i].SmallFails)).ToList();
        var epochs = new Progress<int>(done => progress?.Report(new RoutingProgress("train", done, options.Classifier.Epochs)));
        var classifier = await Task.Run(() => LogisticRegression.Train(labelled, options.Features.Dimensions, options.Classifier, epochs), cancellationToken)
            .ConfigureAwait(false);
        var scores = features.Select(classifier.Probability).ToList();
        return new RouterFile
        {
            Features = options.Features,
            Weights = classifier.Weights,
            Bias = classifier.Bias,
            Threshold = CalibrateThreshold(scores, options.TargetLargeShare),
            TargetLargeShare = options.TargetLargeShare,
            TrainedOn = options.TrainedOn,
            TrainingExamples = examples.Count,
        };
    }

    /// <summary>The router's score of every example, in order.</summary>
    public static async Task<IReadOnlyList<double>> ScoreAsync(PromptRouter router, IReadOnlyList<RoutingExample> examples,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings = null, IProgress<RoutingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(examples);
        var features = await FeaturizeAsync(router.Featurizer, examples, embeddings, progress, cancellationToken).ConfigureAwait(false);
        return features.Select(router.Score).ToList();
    }

    /// <summary>
    /// The threshold that sends <paramref name="targetLargeShare"/> of <paramref name="scores"/> to the large tier: the
    /// score of the k-th highest prompt, k = round(share × n); above every score when k is 0.
    /// </summary>
    public static double CalibrateThreshold(IReadOnlyList<double> scores, double targetLargeShare)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var descending = scores.OrderDescending().ToList();
        var k = (int)Math.Round(targetLargeShare * descending.Count, MidpointRounding.AwayFromZero);
        return k == 0 ? Math.BitIncrement(descending.DefaultIfEmpty(1).Max()) : descending[k - 1];
    }

    private static async Task<List<SparseVector>> FeaturizeAsync(PromptFeaturizer featurizer, IReadOnlyList<RoutingExample> examples,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings, IProgress<RoutingProgress>? progress, CancellationToken cancellationToken)
    {
        if (featurizer.NeedsEmbedding && embeddings is null)
        {
            throw new ArgumentException($"The features include an embedding from {featurizer.Options.EmbeddingModel}; give an embedding generator.");
        }
        var features = new List<SparseVector>(examples.Count);
        var batch = featurizer.NeedsEmbedding ? EmbeddingBatch : 256;
        for (var start = 0; start < examples.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var prompts = examples.Skip(start).Take(batch).Select(e => e.Prompt).ToList();
            if (featurizer.NeedsEmbedding)
            {
                var vectors = await embeddings!.GenerateAsync(prompts, cancellationToken: cancellationToken).ConfigureAwait(false);
                features.AddRange(prompts.Select((p, i) => featurizer.Featurize(p, vectors[i].Vector.Span)));
            }
            else
            {
                features.AddRange(prompts.Select(p => featurizer.Featurize(p)));
            }
            progress?.Report(new RoutingProgress("featurize", features.Count, examples.Count));
        }
        return features;
    }
}
