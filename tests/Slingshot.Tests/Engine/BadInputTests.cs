using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

public sealed class BadInputTests(StoriesEngineFixture fixture) : IClassFixture<StoriesEngineFixture>
{
    [Fact]
    public void Load_MissingFile_ThrowsOneLineError()
    {
        var error = Assert.Throws<InvalidModelFileException>(() => LlamaModel.Load("/nonexistent/model.gguf"));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("/nonexistent/model.gguf", error.Message);
    }

    [Fact]
    public void Load_Directory_ThrowsInvalidModelFile()
    {
        Assert.Throws<InvalidModelFileException>(() => LlamaModel.Load(Path.GetTempPath()));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("random")]
    [InlineData("magic")]
    [InlineData("truncated")]
    public void Load_BadFile_ThrowsInvalidModelFileWithoutNativeCall(string kind)
    {
        var path = GeneratedModels.TempFile($"bad-{kind}.gguf");
        var valid = File.ReadAllBytes(TestPaths.Stories260K);
        byte[] bytes = kind switch
        {
            "empty" => [],
            "random" => RandomBytes(4096),
            "magic" => [.. "PNG\0"u8.ToArray(), .. valid[4..]],
            _ => valid[..(valid.Length / 2)],
        };
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidModelFileException>(() => LlamaModel.Load(path));

        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Load_UnknownArchitecture_ThrowsInvalidModelFile()
    {
        var path = GeneratedModels.TempFile("bad-arch.gguf");
        var bytes = File.ReadAllBytes(GeneratedModels.TinyQ8);
        // Same length, different name: "llama" -> "zzzzz" in the general.architecture value.
        var at = IndexOf(bytes, "general.architecture"u8.ToArray());
        var value = IndexOf(bytes, "llama"u8.ToArray(), at);
        "zzzzz"u8.ToArray().CopyTo(bytes, value);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidModelFileException>(() => LlamaModel.Load(path));

        Assert.Contains("zzzzz", error.Message);
    }

    [Fact]
    public async Task Prompt_LongerThanContext_ThrowsContextLengthExceeded()
    {
        var prompt = string.Join(' ', Enumerable.Repeat("Once upon a time there was a dog.", 400));

        var error = await Assert.ThrowsAsync<ContextLengthExceededException>(() =>
            fixture.Engine.GenerateAsync(new GenerationRequest { Prompt = prompt, MaxTokens = 4 }));

        Assert.Contains("context holds", error.Message);
    }

    [Fact]
    public async Task SamplesTimesMaxTokens_BeyondContext_ThrowsContextLengthExceeded()
    {
        await Assert.ThrowsAsync<ContextLengthExceededException>(() =>
            fixture.Engine.GenerateAsync(new GenerationRequest { Prompt = "Once", SampleCount = 8, MaxTokens = 1000 }));
    }

    [Theory]
    [InlineData(-1f, 1f, 0)]
    [InlineData(float.NaN, 1f, 0)]
    [InlineData(0.8f, 0f, 0)]
    [InlineData(0.8f, 1.5f, 0)]
    [InlineData(0.8f, 1f, -3)]
    public async Task InvalidSampling_ThrowsArgumentException(float temperature, float topP, int topK)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Engine.GenerateAsync(new GenerationRequest
        {
            Prompt = "Once",
            MaxTokens = 2,
            Sampling = new SamplerSettings { Temperature = temperature, TopP = topP, TopK = topK },
        }));

        Assert.StartsWith("Invalid sampling setting", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(9)]
    public async Task SampleCount_OutOfRange_ThrowsArgumentException(int n)
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            fixture.Engine.GenerateAsync(new GenerationRequest { Prompt = "Once", MaxTokens = 2, SampleCount = n }));
    }

    [Fact]
    public async Task PromptTokens_OutsideVocabulary_ThrowsBeforeNativeCode()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            fixture.Engine.GenerateAsync(new GenerationRequest { PromptTokens = [1, 99999], MaxTokens = 2 }));
    }

    [Fact]
    public async Task InvalidGrammar_ThrowsClearError()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => fixture.Engine.GenerateAsync(new GenerationRequest
        {
            Prompt = "Once",
            MaxTokens = 2,
            Sampling = SamplerSettings.Greedy with { Grammar = "root ::= (" },
        }));

        Assert.Contains("grammar", error.Message, StringComparison.OrdinalIgnoreCase);
        // The engine keeps working afterwards.
        var ok = await fixture.Engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 3, Sampling = SamplerSettings.Greedy });
        Assert.Equal(3, ok.Samples[0].Tokens!.Count);
    }

    [Fact]
    public void EngineOptions_Invalid_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new EngineOptions { MaxSequences = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new EngineOptions { Threads = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new EngineOptions { ContextSize = -5 }.Validate());
    }

    private static byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        new Random(3).NextBytes(bytes);
        return bytes;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int start = 0)
    {
        var at = haystack.AsSpan(start).IndexOf(needle);
        Assert.True(at >= 0);
        return start + at;
    }
}
