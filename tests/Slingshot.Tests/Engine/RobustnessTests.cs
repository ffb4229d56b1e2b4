using Microsoft.Extensions.AI;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

/// <summary>Inputs that would reach a GGML_ASSERT or freed memory if the engine did not guard them.</summary>
public sealed class RobustnessTests
{
    [Fact]
    public async Task SmallContext_PromptLongerThanRequestedContext_IsChunkedNotAborted()
    {
        // llama.cpp pads 128 to 256 and caps n_batch at the context; a 200-token prompt must be chunked to fit.
        using var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 128, MaxSequences = 4 });
        var prompt = string.Join(' ', Enumerable.Repeat("Once upon a time", 45));

        var result = await engine.GenerateAsync(new GenerationRequest { Prompt = prompt, MaxTokens = 8, Sampling = SamplerSettings.Greedy });

        Assert.Equal(256, engine.ContextSize);
        Assert.True(result.Usage.PromptTokens > 128);
        Assert.Equal(8, result.Samples[0].Tokens!.Count);
    }

    [Fact]
    public void TinyContext_WithManySequences_IsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 10, MaxSequences = 256 }));

        Assert.Contains("too small", error.Message);
    }

    [Fact]
    public async Task LoraAdapter_DisposedByOwnerWhileEngineRuns_StaysAlive()
    {
        using var model = LlamaModel.Load(GeneratedModels.TinyF32);
        var adapter = model.LoadLoraAdapter(GeneratedModels.TinyLora());
        using var engine = new LlamaEngine(model, new EngineOptions { ContextSize = 256, MaxSequences = 1, LoraAdapters = [(adapter, 1f)] });
        var before = await engine.GenerateAsync(new GenerationRequest { Prompt = "hello", MaxTokens = 4, Sampling = SamplerSettings.Greedy });

        adapter.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var after = await engine.GenerateAsync(new GenerationRequest { Prompt = "hello", MaxTokens = 4, Sampling = SamplerSettings.Greedy });

        Assert.Equal(before.Samples[0].Tokens, after.Samples[0].Tokens);
    }

    [Fact]
    public void LoraAdapter_FromAnotherModel_IsRejected()
    {
        using var first = LlamaModel.Load(GeneratedModels.TinyF32);
        using var second = LlamaModel.Load(GeneratedModels.TinyF32);
        using var adapter = first.LoadLoraAdapter(GeneratedModels.TinyLora());

        var error = Assert.Throws<ArgumentException>(() => new LlamaEngine(second, new EngineOptions { ContextSize = 256, LoraAdapters = [(adapter, 1f)] }));

        Assert.Contains("another model", error.Message);
    }

    [Fact]
    public void Vocabulary_AfterModelDisposed_ThrowsObjectDisposed()
    {
        var model = LlamaModel.Load(TestPaths.Stories260K);
        var vocabulary = model.Vocabulary;
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => vocabulary.Tokenize("Once upon a time"));
    }

    [Fact]
    public async Task Submit_AfterDispose_ThrowsObjectDisposed()
    {
        var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 256, MaxSequences = 1 });
        engine.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => engine.GenerateAsync(new GenerationRequest { Prompt = "Once", MaxTokens = 2 }));
    }

    [Fact]
    public async Task ConcurrentSubmitsAndDispose_EveryRequestEnds()
    {
        var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 1024, MaxSequences = 2 });
        var requests = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 50, Sampling = SamplerSettings.Greedy });
            }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
            {
            }
        })).ToArray();
        await Task.Delay(20);

        engine.Dispose();

        Assert.True(Task.WaitAll(requests, TimeSpan.FromSeconds(30)), "a request never ended after Dispose");
    }

    [Fact]
    public void Seed_ReservedValue_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new SamplerSettings { Seed = uint.MaxValue }.Validate());

        Assert.Contains("reserved", error.Message);
        Assert.Equal(0u, SamplerSettings.SampleSeed(uint.MaxValue - 1, 1));
    }

    [Fact]
    public async Task PenaltyWindow_MinusOne_MeansWholeContextNotOff()
    {
        using var engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 512, MaxSequences = 1 });
        GenerationRequest Request(int window) => new()
        {
            Prompt = "Once upon a time",
            MaxTokens = 60,
            Sampling = SamplerSettings.Greedy with { RepeatPenalty = 1.3f, PenaltyLastN = window },
        };

        var off = await engine.GenerateAsync(Request(0));
        var whole = await engine.GenerateAsync(Request(-1));

        Assert.NotEqual(off.Samples[0].Text, whole.Samples[0].Text);
    }

    [Fact]
    public async Task ChatClient_ToolsWithABuiltInTemplate_AreRejectedNotIgnored()
    {
        // A built-in format has no way to show tools to the model (the Jinja templates do: FunctionInvocationTests).
        using var engine = LlamaEngine.Load(GeneratedModels.TinyQ8, new EngineOptions { ContextSize = 256, MaxSequences = 1 });
        IChatClient client = new LlamaChatClient(engine, new LlamaChatClientOptions { ChatTemplate = "chatml" });
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 42, "answer")] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi", options));
        Assert.Contains("chatml", error.Message);
    }
}
