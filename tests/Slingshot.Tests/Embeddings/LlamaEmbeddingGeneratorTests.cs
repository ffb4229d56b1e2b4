using Microsoft.Extensions.AI;
using Slingshot.Embeddings;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Embeddings;

/// <summary>llama.cpp embedding mode on the real stories260K model (one thread) and a generated tiny model.</summary>
public sealed class LlamaEmbeddingGeneratorTests : IDisposable
{
    private readonly LlamaEmbeddingGenerator _stories = LlamaEmbeddingGenerator.Load(TestPaths.Stories260K, new LlamaEmbeddingOptions { Threads = 1 });

    public void Dispose() => _stories.Dispose();

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * (double)b[i];
        }
        return sum;
    }

    [Fact]
    public async Task Generate_Texts_OneUnitVectorEachOfTheModelsWidth()
    {
        var result = await _stories.GenerateAsync(["Once upon a time", "The cat sat on the mat."]);

        Assert.Equal(2, result.Count);
        Assert.All(result, e =>
        {
            Assert.Equal(_stories.Dimensions, e.Vector.Length);
            Assert.Equal(1.0, Math.Sqrt(Dot(e.Vector.Span, e.Vector.Span)), 4);
            Assert.All(e.Vector.ToArray(), v => Assert.True(float.IsFinite(v)));
        });
        Assert.True(result.Usage!.InputTokenCount > 4);
    }

    [Fact]
    public async Task Generate_SameTextTwice_SameVector_OtherTextDiffers()
    {
        var first = await _stories.GenerateAsync(["Lily went to the park."]);
        var again = await _stories.GenerateAsync(["Once upon a time", "Lily went to the park."]);

        Assert.Equal(first[0].Vector.ToArray(), again[1].Vector.ToArray());
        Assert.True(Dot(first[0].Vector.Span, again[0].Vector.Span) < 0.9999);
    }

    [Fact]
    public async Task Generate_TextLongerThanMaxTokens_EmbedsItsFirstTokens()
    {
        using var generator = LlamaEmbeddingGenerator.Load(TestPaths.Stories260K, new LlamaEmbeddingOptions { Threads = 1, MaxTokens = 8 });
        var longText = string.Concat(Enumerable.Repeat("Tom and Sue played with a big red ball. ", 40));

        var result = await generator.GenerateAsync([longText]);

        Assert.Equal(8, result.Usage!.InputTokenCount);
    }

    [Fact]
    public void Metadata_NamesModelAndWidth()
    {
        var metadata = _stories.GetService<EmbeddingGeneratorMetadata>();

        Assert.Equal("stories260K.gguf", metadata!.DefaultModelId);
        Assert.Equal(_stories.Dimensions, metadata.DefaultModelDimensions);
        Assert.Equal(64, _stories.Dimensions);
    }

    [Fact]
    public async Task Generate_GeneratedTinyModel_Works()
    {
        using var tiny = LlamaEmbeddingGenerator.Load(GeneratedModels.TinyQ8, new LlamaEmbeddingOptions { Threads = 1 });

        var result = await tiny.GenerateAsync(["hello world"]);

        Assert.Equal(tiny.Dimensions, result[0].Vector.Length);
    }

    [Fact]
    public async Task Generate_AfterDispose_Throws()
    {
        var generator = LlamaEmbeddingGenerator.Load(TestPaths.Stories260K, new LlamaEmbeddingOptions { Threads = 1 });
        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["x"]));
    }
}
