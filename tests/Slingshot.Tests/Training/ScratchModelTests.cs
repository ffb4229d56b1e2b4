using Slingshot.Gguf;
using Slingshot.Tests.Support;
using Slingshot.Training;

namespace Slingshot.Tests.Training;

/// <summary>Models made to train from scratch: a real tokenizer or a character vocabulary, a chat template, F32 weights.</summary>
public sealed class ScratchModelTests
{
    [Fact]
    public void Write_StoriesTokenizerWithChatML_AddsControlTokensAndLoads()
    {
        var path = TrainingFixtures.TempPath("scratch.gguf");

        var shape = ScratchModel.Write(path, new ScratchModelOptions { Shape = "embd=64,layers=2,heads=4,kv=4,ff=128,ctx=256", TokenizerModel = TestPaths.Stories260K, ChatTemplate = "chatml" });

        Assert.Equal(514, shape.VocabSize);
        Assert.All(GgufFile.Read(path).Tensors, t => Assert.Equal(GgmlType.F32, t.Type));
        using var model = LlamaModel.Load(path);
        Assert.Equal(514, model.Vocabulary.Count);
        var rendered = ChatTemplate.Apply(model, [new ChatTurn("user", "hi")]);
        var tokens = model.Vocabulary.Tokenize(rendered, addSpecial: false, parseSpecial: true);
        Assert.Equal(512, tokens[0]);
        Assert.True(model.Vocabulary.IsEndOfGeneration(513));
    }

    [Fact]
    public async Task Train_CharacterVocabularyFromScratch_LearnsAndGenerates()
    {
        var data = TrainingFixtures.TempPath("chars.txt");
        File.WriteAllText(data, string.Join("\n\n", Enumerable.Repeat("abc abc abc", 200)));
        var init = TrainingFixtures.TempPath("init.gguf");
        ScratchModel.Write(init, new ScratchModelOptions { Shape = "embd=64,layers=2,heads=4,kv=4,ff=128,ctx=256", CharacterText = File.ReadAllText(data) });
        var output = init + ".trained.gguf";

        var result = TrainingFixtures.Train(TrainingFixtures.Job(data, output, TrainingFixtures.Options() with { Epochs = 4, LearningRate = 3e-3 }, model: init));

        Assert.True(result.FinalValidation!.Loss < 1.0, $"validation loss {result.FinalValidation.Loss}");
        using var engine = LlamaEngine.Load(output, new EngineOptions { ContextSize = 256, MaxSequences = 1, Threads = 2 });
        var text = (await engine.GenerateAsync(new GenerationRequest { Prompt = "abc a", MaxTokens = 6, Sampling = SamplerSettings.Greedy })).Samples[0].Text;
        Assert.Equal("bc abc", text);
    }

    [Fact]
    public void Write_WholeWords_FrequentWordsAreOneTokenAndDigitsStaySingle()
    {
        var text = string.Concat(Enumerable.Repeat("Tom has 12 apples. 12+30=<<12+30=42>>42\n#### 42\n\n", 30));
        var path = TrainingFixtures.TempPath("words.gguf");

        ScratchModel.Write(path, new ScratchModelOptions { Shape = "embd=64,layers=2,heads=4,kv=4,ff=128,ctx=256", CharacterText = text, WholeWords = true });

        using var model = LlamaModel.Load(path);
        const string Solution = "Tom has 123 apples. 1+2=<<1+2=3>>3\n#### 3";
        var pieces = model.Vocabulary.Tokenize(Solution, addSpecial: false, parseSpecial: false)
            .Select(t => model.Vocabulary.Detokenize([t])).ToList();
        Assert.Contains(" apples", pieces);
        Assert.Contains("Tom", pieces);
        Assert.Contains("=<<", pieces);
        Assert.Contains(">>", pieces);
        Assert.Contains("####", pieces);
        // Numbers are spelled digit by digit: one token per digit.
        Assert.Equal(Solution.Count(char.IsDigit), pieces.Count(p => p.Any(char.IsDigit)));
        Assert.All(pieces.Where(p => p.Any(char.IsDigit)), p => Assert.Equal(1, p.Count(char.IsDigit)));
    }

    [Fact]
    public void Train_F16Model_ConvertedToF32WithNote()
    {
        var data = TrainingFixtures.PromptCompletionFile();
        var output = TrainingFixtures.TempPath("f16.gguf");

        var result = TrainingFixtures.Train(TrainingFixtures.Job(data, output, TrainingFixtures.Options() with { ValidationFraction = 0 }, model: GeneratedModels.Get("tiny", GgmlType.F16)));

        Assert.Contains(result.Notes, n => n.Contains("converted to F32", StringComparison.Ordinal));
        var file = GgufFile.Read(output);
        Assert.Equal(GgmlType.F32, file.FindTensor("blk.0.attn_q.weight")!.Type);
        Assert.Equal(GgmlType.F16, file.FindTensor("token_embd.weight")!.Type);
    }
}
