using Slingshot.Gguf;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Gguf;

/// <summary>
/// Random-weight stand-ins of real families, built from llama.cpp's vocabulary GGUFs and the pinned real templates: each
/// loads, tokenizes the vocabulary's own test vectors to the expected ids, renders its family's prompt, and decodes.
/// </summary>
public sealed class StandInModelTests
{
    /// <summary>Architecture, vocabulary (models/ggml-vocab-*.gguf), template (a pinned file, a built-in name, or null for
    /// the vocabulary's own), whether the conversation opens with a system message, and text the prompt must hold.</summary>
    public static TheoryData<string, string, string?, bool, string> Families => new()
    {
        { "llama", "llama-bpe", "meta-llama-Llama-3.1-8B-Instruct.jinja", true, "Cutting Knowledge Date: December 2023\nToday Date: " },
        { "llama", "llama-spm", "llama2", true, "[INST] Be brief.\nHi [/INST]" },
        { "qwen2", "qwen2", "Qwen-Qwen2.5-7B-Instruct.jinja", true, "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n" },
        { "qwen2", "qwen35", "Qwen3.5-4B.jinja", true, "<|im_start|>assistant\n" },
        // Phi-3-mini's own template drops system messages, so it is given none (Slingshot refuses one).
        { "phi3", "phi-3", null, false, "<|user|>\nHi<|end|>\n<|assistant|>\n" },
        { "gemma3", "gemma-4", "google-gemma-4-31B-it.jinja", true, "<|turn>user\nHi<turn|>" },
        { "gemma2", "gemma-4", "gemma", true, "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\n" },
        { "gemma", "gemma-4", "gemma", false, "<start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n" },
    };

    private static string Write(string architecture, string vocabulary, string? template)
    {
        var vocabPath = Path.Combine(LlamaSource.Directory, "models", $"ggml-vocab-{vocabulary}.gguf");
        var templateText = template switch
        {
            null => null,
            _ when template.EndsWith(".jinja", StringComparison.Ordinal) => File.ReadAllText(Path.Combine(LlamaSource.Directory, "models", "templates", template)),
            _ => template,
        };
        var path = GeneratedModels.TempFile($"standin-{architecture}-{vocabulary}-{template}.gguf");
        StandInModelWriter.Write(path, LlamaShape.Parse("tiny"), new StandInModelOptions
        {
            Architecture = architecture,
            VocabularyPath = vocabPath,
            ChatTemplate = templateText,
        });
        return path;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task StandIn_RealFamily_LoadsTokenizesRendersAndDecodes(string architecture, string vocabulary, string? template, bool withSystem, string expected)
    {
        using var model = LlamaModel.Load(Write(architecture, vocabulary, template));

        Assert.Equal(architecture, model.Info.Architecture);
        Assert.Null(model.Info.ChatTemplateError);

        var vectors = Path.Combine(LlamaSource.Directory, "models", $"ggml-vocab-{vocabulary}.gguf");
        if (File.Exists(vectors + ".inp"))
        {
            var inputs = SplitInputs(await File.ReadAllTextAsync(vectors + ".inp"));
            var outputs = await File.ReadAllLinesAsync(vectors + ".out");
            Assert.Equal(outputs.Length, inputs.Count);
            for (var i = 0; i < inputs.Count; i++)
            {
                var expectedIds = outputs[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
                Assert.True(expectedIds.SequenceEqual(model.Vocabulary.Tokenize(inputs[i], addSpecial: false, parseSpecial: false)),
                    $"{vocabulary} vector {i} ('{inputs[i]}') does not tokenize to {outputs[i]}");
            }
        }

        ChatTurn[] conversation = withSystem ? [new("system", "Be brief."), new("user", "Hi")] : [new("user", "Hi")];
        var prompt = ChatTemplate.Apply(model, conversation);
        Assert.True(prompt.Contains(expected, StringComparison.Ordinal), $"'{expected}' is not in the prompt '{prompt}'");

        // The template's BOS is left to the tokenizer, as llama-server leaves it: never two.
        var tokens = model.Vocabulary.Tokenize(prompt, addSpecial: true, parseSpecial: true);
        Assert.True(model.Vocabulary.Bos is not { } bos || tokens.Count(t => t == bos) <= 1, $"two BOS tokens in {prompt}");

        using var engine = new LlamaEngine(model, new EngineOptions { ContextSize = 512, MaxSequences = 2, Threads = 1 }, ownsModel: false);
        var result = await engine.GenerateAsync(new GenerationRequest { Prompt = prompt, MaxTokens = 4, Sampling = new SamplerSettings { Temperature = 0 }, SampleCount = 2 });
        Assert.All(result.Samples, s => Assert.InRange(s.Tokens!.Count, 1, 4));
    }

    [Fact]
    public void Write_UnknownArchitecture_IsRefusedNamingTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => StandInModelWriter.Write(GeneratedModels.TempFile("x.gguf"), LlamaShape.Parse("tiny"),
            new StandInModelOptions { Architecture = "mamba", VocabularyPath = Path.Combine(LlamaSource.Directory, "models", "ggml-vocab-qwen2.gguf") }));

        Assert.Contains("qwen2", error.Message);
    }

    [Fact]
    public void Write_FileWithoutTokenizer_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => StandInModelWriter.Write(GeneratedModels.TempFile("y.gguf"), LlamaShape.Parse("tiny"),
            new StandInModelOptions { VocabularyPath = GeneratedModels.TempFile("missing.gguf") }));

        Assert.Contains("does not exist", error.Message);
    }

    /// <summary>llama.cpp's test-tokenizer-0 format: inputs separated by a marker line, one expected id list per line.</summary>
    private static List<string> SplitInputs(string raw)
    {
        const string separator = "\n__ggml_vocab_test__\n";
        var inputs = new List<string>();
        var position = 0;
        while (position < raw.Length)
        {
            var next = raw.IndexOf(separator, position, StringComparison.Ordinal);
            if (next < 0)
            {
                inputs.Add(raw[position..]);
                break;
            }
            inputs.Add(raw[position..next]);
            position = next + separator.Length;
        }
        return inputs;
    }
}
