namespace Slingshot.Tests.Support;

/// <summary>One stories260K engine shared by the tests of a class (loading is cheap, but contexts are not free).</summary>
public sealed class StoriesEngineFixture : IDisposable
{
    public StoriesEngineFixture()
    {
        Engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 2048, MaxSequences = 8 });
    }

    public LlamaEngine Engine { get; }

    public void Dispose() => Engine.Dispose();
}

/// <summary>One engine over the generated tiny Q8_0 model (has a ChatML template).</summary>
public sealed class TinyEngineFixture : IDisposable
{
    public TinyEngineFixture()
    {
        // No prefix cache: these tests compare batched with single-sequence decoding, bit-identical while the KV view of
        // a lone sequence stays under 512 cells (from there llama.cpp splits its cells between threads at a cell index);
        // cached prefixes keep cells and widen the view. PrefixCacheTests covers the cache's own equality.
        Engine = LlamaEngine.Load(GeneratedModels.TinyQ8, new EngineOptions { ContextSize = 512, MaxSequences = 8, PrefixCache = false });
    }

    public LlamaEngine Engine { get; }

    public void Dispose() => Engine.Dispose();
}
