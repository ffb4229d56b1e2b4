using Slingshot.Tests.Gguf;

namespace Slingshot.Tests.Engine;

/// <summary>A model file that changes on disk while an engine uses it.</summary>
public sealed class ModelFileChangeTests
{
    [Fact]
    public async Task Engine_LoadedWithoutMemoryMap_KeepsAnsweringAfterTheFileIsTruncated()
    {
        using var temp = new TempDirectory();
        var path = temp.File("live.gguf");
        File.Copy(GgufTestFiles.Stories260K, path);
        using var engine = LlamaEngine.Load(path, new EngineOptions { ContextSize = 256, MaxSequences = 1, Threads = 1 }, new ModelOptions { UseMemoryMap = false });
        var request = new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 10, Sampling = SamplerSettings.Greedy };
        var before = await engine.GenerateAsync(request);

        // A mapped model would fault (SIGBUS, the end of the test run) on its next read of the weights.
        await using (new FileStream(path, FileMode.Truncate, FileAccess.Write)) { }
        var after = await engine.GenerateAsync(request);

        Assert.Equal(", there was a little girl named Lily", before.Samples[0].Text);
        Assert.Equal(before.Samples[0].Text, after.Samples[0].Text);
    }
}
