using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

public sealed class ToolsTests
{
    [Fact]
    public void Quantize_F32ToQ8_0_OutputLoadsAsQ8_0()
    {
        var output = GeneratedModels.TempFile("quantized-q8.gguf");

        ModelQuantizer.Quantize(GeneratedModels.TinyF32, output, "Q8_0", threads: 1);

        using var model = LlamaModel.Load(output);
        Assert.Contains("Q8_0", model.Info.Quantization);
        Assert.True(new FileInfo(output).Length < new FileInfo(GeneratedModels.TinyF32).Length / 2);
    }

    [Fact]
    public void Quantize_UnknownType_ThrowsListingTypes()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelQuantizer.Quantize(GeneratedModels.TinyF32, GeneratedModels.TempFile("x.gguf"), "Q9_9"));

        Assert.Contains("Q4_K_M", error.Message);
    }

    [Fact]
    public async Task Lora_NonZeroScale_ChangesLogits_ZeroScaleDoesNot()
    {
        using var model = LlamaModel.Load(GeneratedModels.TinyF32);
        using var adapter = model.LoadLoraAdapter(GeneratedModels.TinyLora());

        async Task<float[]> Logprobs(float? scale)
        {
            var options = new EngineOptions
            {
                ContextSize = 256,
                MaxSequences = 1,
                LoraAdapters = scale is { } s ? [(adapter, s)] : [],
            };
            using var engine = new LlamaEngine(model, options);
            var result = await engine.GenerateAsync(new GenerationRequest { Prompt = "hello world", MaxTokens = 1, Sampling = SamplerSettings.Greedy, TopLogprobs = 5 });
            return result.Samples[0].Logprobs![0].TopAlternatives.Select(t => t.Logprob).ToArray();
        }

        var baseline = await Logprobs(null);
        var zero = await Logprobs(0f);
        var one = await Logprobs(1f);

        Assert.Equal(baseline, zero);
        Assert.NotEqual(baseline, one);
    }

    [Fact]
    public void Lora_MissingFile_ThrowsClearError()
    {
        using var model = LlamaModel.Load(GeneratedModels.TinyQ8);

        var error = Assert.Throws<SlingshotException>(() => model.LoadLoraAdapter("/nope/adapter.gguf"));

        Assert.Contains("does not exist", error.Message);
    }
}
