using Slingshot.Strategies.Routing;

namespace Slingshot.Strategies.Tests.Routing;

public sealed class LogisticRegressionTests
{
    [Fact]
    public void Train_WordThatDecidesTheLabel_LearnsIt()
    {
        var featurizer = new PromptFeaturizer(new PromptFeatureOptions { HashBits = 8, WordNGrams = 1, Shape = false });
        var examples = Enumerable.Range(0, 200)
            .Select(i => (featurizer.Featurize(i % 2 == 0 ? $"prove theorem number {i}" : $"say hello number {i}"), i % 2 == 0))
            .ToList();

        var model = LogisticRegression.Train(examples, featurizer.Options.Dimensions);

        Assert.True(model.Probability(featurizer.Featurize("prove theorem number 7")) > 0.9);
        Assert.True(model.Probability(featurizer.Featurize("say hello number 8")) < 0.1);
    }

    [Fact]
    public void Train_SameSeed_SameWeights()
    {
        var featurizer = new PromptFeaturizer(new PromptFeatureOptions { HashBits = 6 });
        var examples = Enumerable.Range(0, 50).Select(i => (featurizer.Featurize($"item {i % 7} of {i}"), i % 3 == 0)).ToList();

        var a = LogisticRegression.Train(examples, featurizer.Options.Dimensions);
        var b = LogisticRegression.Train(examples, featurizer.Options.Dimensions);

        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.Bias, b.Bias);
    }

    [Fact]
    public void Train_NoFeatures_BiasIsTheBaseRate()
    {
        var empty = new SparseVector([], []);
        var examples = Enumerable.Range(0, 100).Select(i => (empty, i < 30)).ToList();

        var model = LogisticRegression.Train(examples, 1);

        Assert.Equal(0.3, model.Probability(empty), 2);
    }
}
