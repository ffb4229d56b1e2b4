using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

public sealed class ModelAndTokenizerTests(StoriesEngineFixture fixture) : IClassFixture<StoriesEngineFixture>
{
    private Vocabulary Vocabulary => fixture.Engine.Model.Vocabulary;

    [Fact]
    public void Info_Stories260K_ReportsShapeAndTokens()
    {
        var info = fixture.Engine.Model.Info;

        Assert.Equal("llama", info.Architecture);
        Assert.Equal(512, info.VocabularySize);
        Assert.Equal(5, info.LayerCount);
        Assert.Equal(64, info.EmbeddingLength);
        Assert.Equal(8, info.HeadCount);
        Assert.Equal(4, info.KvHeadCount);
        Assert.Equal(1, info.BosToken);
        Assert.Equal(2, info.EosToken);
        Assert.InRange(info.ParameterCount, 200_000, 300_000);
        Assert.Null(info.ChatTemplate);
        Assert.Equal("spm", info.VocabularyType);
        Assert.Equal("llama", info.Metadata["general.architecture"]);
    }

    [Fact]
    public void Tokenize_WithAndWithoutSpecial_AddsBosOnlyWhenAsked()
    {
        var with = Vocabulary.Tokenize("Once upon a time", addSpecial: true);
        var without = Vocabulary.Tokenize("Once upon a time", addSpecial: false);

        Assert.Equal(1, with[0]);
        Assert.Equal(without, with[1..]);
    }

    [Theory]
    [InlineData("Once upon a time, there was a cat.")]
    [InlineData("héllo wörld — naïve café")]
    [InlineData("日本語のテキスト and emoji 🚀")]
    public void Detokenize_RoundTrip_RestoresText(string text)
    {
        var tokens = Vocabulary.Tokenize(text, addSpecial: false);

        Assert.Equal(text, Vocabulary.Detokenize(tokens).TrimStart());
    }

    [Fact]
    public void TokenTextDecoder_MultiByteCharacterSplitAcrossTokens_EmitsItWhole()
    {
        // stories260K has no token for this character: it becomes byte-fallback tokens, one byte each.
        var tokens = Vocabulary.Tokenize("🚀", addSpecial: false);
        Assert.True(tokens.Length >= 4);
        var decoder = new TokenTextDecoder(Vocabulary);

        var pieces = tokens.Select(decoder.Append).ToList();

        Assert.All(pieces.Take(pieces.Count - 1), p => Assert.DoesNotContain('\uFFFD', p));
        Assert.Equal("🚀", string.Concat(pieces).TrimStart());
    }

    [Fact]
    public void Detokenize_SpecialTokens_RenderOnlyWhenAsked()
    {
        Assert.Equal(string.Empty, Vocabulary.Detokenize([2]));
        Assert.Equal("</s>", Vocabulary.Detokenize([2], renderSpecial: true));
        Assert.True(Vocabulary.IsEndOfGeneration(2));
    }

    [Fact]
    public void CheckToken_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.TokenText(512));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.IsEndOfGeneration(-1));
    }

    [Fact]
    public void ChatTemplate_ModelWithoutTemplate_ThrowsClearErrorUnlessFallback()
    {
        ChatTurn[] messages = [new("user", "Hi")];

        var error = Assert.Throws<InvalidRequestException>(() => ChatTemplate.Apply(fixture.Engine.Model, messages));
        Assert.Contains("no chat template", error.Message);

        var rendered = ChatTemplate.Apply(fixture.Engine.Model, messages, fallback: "chatml");
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", rendered);
    }

    [Fact]
    public void ChatTemplate_GeneratedModel_UsesItsOwnTemplate()
    {
        using var model = LlamaModel.Load(GeneratedModels.TinyQ8);
        ChatTurn[] messages = [new("system", "Be brief."), new("user", "Hi")];

        var rendered = ChatTemplate.Apply(model, messages);

        Assert.NotNull(model.Info.ChatTemplate);
        Assert.Contains("<|im_start|>system\nBe brief.<|im_end|>", rendered);
        Assert.EndsWith("<|im_start|>assistant\n", rendered);
    }

    [Fact]
    public void ChatTemplate_Override_BuiltInName_IsUsed()
    {
        var rendered = ChatTemplate.Apply(fixture.Engine.Model, [new("user", "Hi")], template: "llama3");

        Assert.Contains("<|start_header_id|>user<|end_header_id|>", rendered);
    }

    [Fact]
    public void ChatTemplate_UnknownTemplate_ThrowsClearError()
    {
        var error = Assert.Throws<SlingshotException>(() => ChatTemplate.Render("not a template at all", [new("user", "Hi")]));

        Assert.Contains("built-in", error.Message);
    }
}
