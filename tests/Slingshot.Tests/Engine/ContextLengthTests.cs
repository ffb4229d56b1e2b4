using Slingshot.Tests.Gguf;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

/// <summary>The model's declared context (llama.context_length, an unsigned 32-bit value) and the engine's context size.</summary>
public sealed class ContextLengthTests
{
    [Theory]
    [InlineData(4294967295L)]
    [InlineData(2147483648L)]
    public async Task Load_TrainContextAboveInt32_ReportsItAndDefaultsTo4096(long declared)
    {
        using var temp = new TempDirectory();
        var path = GgufRewriter.Rewrite(GgufTestFiles.Stories260K, temp.File("long.gguf"), $"llama.context_length=u32:{declared}");

        using var engine = LlamaEngine.Load(path, new EngineOptions { MaxSequences = 1, Threads = 1 });
        var result = await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 4, Sampling = SamplerSettings.Greedy });

        Assert.Equal(declared, engine.Model.Info.TrainContextLength);
        Assert.Equal(4096, engine.ContextSize);
        Assert.Equal(", there was a", result.Samples[0].Text);
    }

    [Fact]
    public void Load_TrainContextZero_AsksForAContextSize()
    {
        using var temp = new TempDirectory();
        var path = GgufRewriter.Rewrite(GgufTestFiles.Stories260K, temp.File("zero.gguf"), "llama.context_length=u32:0");

        var error = Assert.Throws<ArgumentException>(() => LlamaEngine.Load(path, new EngineOptions { MaxSequences = 1 }));
        using var sized = LlamaEngine.Load(path, new EngineOptions { ContextSize = 256, MaxSequences = 1 });

        Assert.Equal("'zero.gguf' declares a training context of 0 tokens (llama.context_length); set a context size.", error.Message);
        Assert.Equal(256, sized.ContextSize);
    }

    [Fact]
    public void Validate_ContextSizeAboveTheLimit_NamesValueAndLimit()
    {
        var error = Assert.Throws<ArgumentException>(() => new EngineOptions { ContextSize = int.MaxValue }.Validate());

        Assert.Equal($"Context size must be between 0 and 16777216 (got {int.MaxValue}).", error.Message);
    }
}
