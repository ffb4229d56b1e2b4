using Slingshot.Gguf;

namespace Slingshot.Tests.Gguf;

public sealed class LlamaShapeTests
{
    [Theory]
    [InlineData("tiny", 139_584, 139_584)]                       // llama.cpp's llama_model_n_params on the written file
    [InlineData("llama-100m", 90_000_000, 120_000_000)]
    [InlineData("smollm2-135m", 134_000_000, 136_000_000)]
    [InlineData("smollm2-360m", 355_000_000, 365_000_000)]
    [InlineData("qwen2.5-0.5b", 490_000_000, 500_000_000)]      // without Qwen's small q/k/v biases
    [InlineData("qwen2.5-1.5b", 1_500_000_000, 1_560_000_000)]
    [InlineData("llama-3.2-1b", 1_230_000_000, 1_240_000_000)]
    [InlineData("llama-3.2-3b", 3_200_000_000, 3_220_000_000)]
    [InlineData("llama-3.1-8b", 8_000_000_000, 8_040_000_000)]
    public void ParameterCount_Preset_MatchesPublishedSize(string preset, long minimum, long maximum)
    {
        long count = LlamaShape.Presets[preset].ParameterCount;

        Assert.InRange(count, minimum, maximum);
    }

    [Fact]
    public void Presets_ContainTheRequiredShapes()
    {
        LlamaShape small = LlamaShape.Presets["small"];
        Assert.Equal(new LlamaShape("small", 4096, 256, 4, 8, 4, 768, 2048), small);
        Assert.Equal(32, small.HeadDimension);
        Assert.Equal(128, small.KvEmbeddingLength);
        Assert.Equal(new LlamaShape("qwen2.5-1.5b", 151936, 1536, 28, 12, 2, 8960, 32768, TiedEmbeddings: true), LlamaShape.Presets["qwen2.5-1.5b"]);
        Assert.False(LlamaShape.Presets["llama-3.1-8b"].TiedEmbeddings);
        Assert.Equal(10, LlamaShape.Presets.Count);
    }

    [Fact]
    public void Parse_PresetName_ReturnsPresetIgnoringCase()
    {
        Assert.Equal(LlamaShape.Presets["llama-100m"], LlamaShape.Parse("LLaMA-100M"));
    }

    [Fact]
    public void Parse_CustomSpec_ReadsEveryKey()
    {
        LlamaShape shape = LlamaShape.Parse("vocab=32000, embd=768,layers=8,heads=12,kv=4,ff=2048,ctx=4096,tied=true,name=mine");

        Assert.Equal(new LlamaShape("mine", 32000, 768, 8, 12, 4, 2048, 4096, TiedEmbeddings: true), shape);
    }

    [Fact]
    public void Parse_CustomSpecWithoutKvOrCtx_DefaultsToHeadsAnd2048()
    {
        LlamaShape shape = LlamaShape.Parse("vocab=1000,embd=64,layers=2,heads=4,ff=128");

        Assert.Equal(new LlamaShape("custom", 1000, 64, 2, 4, 4, 128, 2048), shape);
    }

    [Fact]
    public void Parse_PresetWithOverrides_ChangesOnlyThoseKeys()
    {
        LlamaShape shape = LlamaShape.Parse("llama-100m,layers=2");

        Assert.Equal(LlamaShape.Presets["llama-100m"] with { Name = "llama-100m-custom", LayerCount = 2 }, shape);
    }

    [Theory]
    [InlineData("foo", "Unknown model shape 'foo'; presets: tiny, small, llama-100m, smollm2-135m, smollm2-360m, qwen2.5-0.5b, qwen2.5-1.5b, llama-3.2-1b, llama-3.2-3b, llama-3.1-8b.")]
    [InlineData("", "Model shape is empty")]
    [InlineData("vocab=1000,embd=100,layers=2,heads=3,ff=128", "Model shape 'custom' is invalid: embd 100 is not divisible by heads 3.")]
    [InlineData("vocab=1000,embd=64,layers=2,heads=4,kv=3,ff=128", "Model shape 'custom' is invalid: heads 4 is not divisible by kv 3.")]
    [InlineData("vocab=1000,embd=36,layers=2,heads=4,ff=128", "Model shape 'custom' is invalid: head dimension 9 (embd / heads) is odd; RoPE needs it even.")]
    [InlineData("vocab=1000,embd=64,heads=4,ff=128", "Model shape 'vocab=1000,embd=64,heads=4,ff=128' lacks layers=")]
    [InlineData("vocab=1000,embd=64,layers=two,heads=4,ff=128", "layers=two in model shape")]
    [InlineData("vocab=1000,embd=64,layers=0,heads=4,ff=128", "layers=0 in model shape")]
    [InlineData("vocab=1000,embd=64,layers=2,heads=4,ff=128,depth=3", "Unknown setting 'depth=3'")]
    [InlineData("tiny,layers=2,layers=3", "Setting 'layers' appears twice")]
    [InlineData("tiny,tied=maybe", "tied=maybe in model shape 'tiny,tied=maybe' is not true or false.")]
    public void Parse_BadInput_ThrowsOneLineArgumentException(string spec, string expectedStart)
    {
        var error = Assert.Throws<ArgumentException>(() => LlamaShape.Parse(spec));

        Assert.StartsWith(expectedStart, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
