using Slingshot.Strategies.Routing;

namespace Slingshot.Strategies.Tests.Routing;

public sealed class PromptFeaturizerTests
{
    private static readonly PromptFeatureOptions TextOnly = new() { HashBits = 10, WordNGrams = 2 };

    [Fact]
    public void Featurize_SameText_SameVectorAcrossInstances()
    {
        var a = new PromptFeaturizer(TextOnly).Featurize("What is 2 + 2?\nA. 3\nB. 4");
        var b = new PromptFeaturizer(TextOnly).Featurize("What is 2 + 2?\nA. 3\nB. 4");

        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Values, b.Values);
    }

    [Fact]
    public void Featurize_HashedPart_HasUnitLengthAndIgnoresCase()
    {
        var featurizer = new PromptFeaturizer(TextOnly with { Shape = false });

        var lower = featurizer.Featurize("the cat sat on the mat");
        var upper = featurizer.Featurize("The CAT sat on the mat");

        Assert.Equal(lower.Indices, upper.Indices);
        Assert.Equal(1.0, Math.Sqrt(lower.Values.Sum(v => v * (double)v)), 5);
        Assert.All(lower.Indices, i => Assert.InRange(i, 0, TextOnly.HashBuckets - 1));
    }

    [Fact]
    public void Featurize_ShapeFeatures_CountAnswerOptionsAndLength()
    {
        var featurizer = new PromptFeaturizer(new PromptFeatureOptions { HashBits = 0 });

        var question = featurizer.Featurize("Which?\nA. one\nB. two\nC. three\nD. four\nAnswer:");
        var shortText = featurizer.Featurize("Hi");

        Assert.All(question.Indices, i => Assert.InRange(i, 0, PromptShape.Count - 1)); // zeros (no digits, no code) are left out
        Assert.Equal(1f, question.Values[Array.IndexOf(question.Indices, 6)]); // 4 options / 4
        Assert.True(question.Values[0] > shortText.Values[0]);
    }

    [Fact]
    public void Featurize_EmbeddingOfWrongWidth_ThrowsNamingBothWidths()
    {
        var featurizer = new PromptFeaturizer(TextOnly with { EmbeddingModel = "m.gguf", EmbeddingDimensions = 4 });

        var ex = Assert.Throws<ArgumentException>(() => featurizer.Featurize("text", [1f, 2f, 3f]));

        Assert.Contains("4-dimensional", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Featurize_Embedding_AppendedAfterHashBucketsScaledToUnitLength()
    {
        var options = TextOnly with { Shape = false, EmbeddingModel = "m.gguf", EmbeddingDimensions = 2 };

        var vector = new PromptFeaturizer(options).Featurize("text", [3f, 4f]);

        Assert.Equal([TextOnly.HashBuckets, TextOnly.HashBuckets + 1], vector.Indices[^2..]);
        Assert.Equal([0.6f, 0.8f], vector.Values[^2..]);
    }

    [Theory]
    [InlineData(-1, 2)]
    [InlineData(25, 2)]
    [InlineData(10, 0)]
    public void Constructor_OptionsOutOfRange_Throws(int hashBits, int ngrams) =>
        Assert.Throws<ArgumentException>(() => new PromptFeaturizer(new PromptFeatureOptions { HashBits = hashBits, WordNGrams = ngrams }));
}
