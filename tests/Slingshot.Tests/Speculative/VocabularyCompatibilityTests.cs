using Slingshot.Gguf;
using Slingshot.Testing;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Speculative;

public sealed class VocabularyCompatibilityTests
{
    [Fact]
    public void Engine_DraftWithAnotherVocabularySize_ThrowsOneLineError()
    {
        using var draft = LlamaModel.Load(GeneratedModels.Get("small", GgmlType.Q8_0));

        var error = Assert.Throws<SlingshotException>(() => SpeculativeModels.Engine(SpeculativeModels.Target, new SpeculativeOptions { DraftModel = draft }));

        Assert.Contains("cannot draft for", error.Message);
        Assert.Contains("vocabulary sizes differ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Engine_DraftWithOtherTokenTexts_ThrowsNamingTheToken()
    {
        // stories260K and the generated tiny models both have 512 SentencePiece tokens, but different ones.
        using var draft = LlamaModel.Load(TestPaths.Stories260K);

        var error = Assert.Throws<SlingshotException>(() => SpeculativeModels.Engine(SpeculativeModels.Target, new SpeculativeOptions { DraftModel = draft }));

        Assert.Matches("token \\d+ is '.*' in the target but '.*' in the draft|tokens differ", error.Message);
    }

    [Fact]
    public void Explain_LayerTruncatedCopy_IsCompatible()
    {
        using var target = LlamaModel.Load(SpeculativeModels.Target);
        using var draft = LlamaModel.Load(SpeculativeModels.Draft);

        Assert.Null(VocabularyCompatibility.Explain(target.Vocabulary, draft.Vocabulary));
    }

    [Fact]
    public void Options_WithoutDraftOrLookup_AreInvalid()
    {
        var error = Assert.Throws<ArgumentException>(() => new EngineOptions { Speculative = new SpeculativeOptions() }.Validate());

        Assert.Contains("draft model or prompt lookup", error.Message);
    }

    [Fact]
    public async Task Engine_OwningTheDraft_DisposesItWithItself()
    {
        var draft = LlamaModel.Load(SpeculativeModels.Draft);
        var engine = SpeculativeModels.Engine(SpeculativeModels.Target, new SpeculativeOptions { DraftModel = draft, OwnsDraftModel = true });
        await engine.GenerateAsync(SpeculativeModels.Greedy("hello", 4));

        engine.Dispose();

        Assert.ThrowsAny<ObjectDisposedException>(() => draft.Vocabulary.Tokenize("hello"));
    }
}
