using System.CommandLine;
using System.Globalization;
using Slingshot.Gguf;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot create-model</c>: a random-weight model of a named or given shape, to benchmark a size before downloading
/// it; with <c>--vocab</c>, a stand-in of a real family (llama, qwen2, phi3, gemma, gemma2, gemma3) carrying that
/// vocabulary GGUF's tokenizer and chat template (or <c>--template</c>).
/// </summary>
internal static class CreateModelCommand
{
    public static Command Create()
    {
        var output = new Argument<string?>("output") { Description = "Where to write the GGUF file", Arity = ArgumentArity.ZeroOrOne };
        var shape = new Option<string>("--shape") { Description = "A preset (see --list) or vocab=..,embd=..,layers=..,heads=..,kv=..,ff=..,ctx=..", DefaultValueFactory = _ => "tiny" };
        var type = new Option<string>("--type") { Description = "Tensor type: F32, F16 or Q8_0", DefaultValueFactory = _ => "Q8_0" };
        var seed = new Option<long>("--seed") { Description = "Seed of the random weights", DefaultValueFactory = _ => 1 };
        var list = new Option<bool>("--list") { Description = "List the preset shapes" };
        var architecture = new Option<string>("--arch") { Description = $"Architecture: {string.Join(", ", StandInArchitectures.Names)} (all but llama need --vocab)", DefaultValueFactory = _ => "llama" };
        var vocab = new Option<string?>("--vocab") { Description = "A GGUF whose tokenizer and chat template the model takes (e.g. llama.cpp's models/ggml-vocab-qwen2.gguf)" };
        var template = new Option<string?>("--template") { Description = "Chat template to store: a Jinja file or a built-in name (chatml, llama3, ...); default the vocabulary's own" };
        var command = new Command("create-model", "Write a random-weight GGUF model of any shape, or a stand-in of a real model family") { output, shape, type, seed, list, architecture, vocab, template };
        command.SetAction(parse =>
        {
            if (parse.GetValue(list))
            {
                var table = new Table().AddColumns("shape", "parameters", "vocab", "embd", "layers", "heads", "kv heads", "ff", "ctx").Border(TableBorder.Rounded);
                foreach (var p in LlamaShape.Presets.Values)
                {
                    table.AddRow(p.Name, p.ParameterCount.ToString("N0", CultureInfo.InvariantCulture), $"{p.VocabSize}", $"{p.EmbeddingLength}", $"{p.LayerCount}",
                        $"{p.HeadCount}", $"{p.KvHeadCount}", $"{p.FeedForwardLength}", $"{p.ContextLength}");
                }
                AnsiConsole.Write(table);
                return 0;
            }
            var path = parse.GetValue(output) ?? throw new ArgumentException("Give the output file (or --list).");
            var parsed = LlamaShape.Parse(parse.GetRequiredValue(shape));
            if (!Enum.TryParse<GgmlType>(parse.GetRequiredValue(type), ignoreCase: true, out var tensorType) || tensorType is not (GgmlType.F32 or GgmlType.F16 or GgmlType.Q8_0))
            {
                throw new ArgumentException($"--type must be F32, F16 or Q8_0 (got {parse.GetValue(type)}).");
            }
            var arch = parse.GetRequiredValue(architecture);
            var vocabPath = parse.GetValue(vocab);
            if (vocabPath is null && (arch != "llama" || parse.GetValue(template) is not null))
            {
                throw new ArgumentException("--arch other than llama and --template need --vocab (a GGUF with the tokenizer to use).");
            }
            var templateText = parse.GetValue(template) is { } t ? ReadTemplate(t) : null;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"{parsed.Name} ({parsed.ParameterCount:N0} params, {tensorType})", maxValue: 1.0);
                    var progress = new Progress<double>(v => task.Value = v);
                    if (vocabPath is not null)
                    {
                        StandInModelWriter.Write(path, parsed, new StandInModelOptions
                        {
                            Architecture = arch,
                            VocabularyPath = vocabPath,
                            ChatTemplate = templateText,
                            Seed = parse.GetValue(seed),
                            TensorType = tensorType,
                            Progress = progress,
                        });
                    }
                    else
                    {
                        RandomModelWriter.Write(path, parsed, new RandomModelOptions { Seed = parse.GetValue(seed), TensorType = tensorType, Progress = progress });
                    }
                    task.Value = 1.0;
                });
            Console.Out.WriteLine($"Wrote {path} ({new FileInfo(path).Length:N0} bytes).");
            return 0;
        });
        return command;
    }

    /// <summary>A template file's text, or a llama.cpp built-in template name as it is.</summary>
    private static string ReadTemplate(string fileOrName)
    {
        if (File.Exists(fileOrName))
        {
            return File.ReadAllText(fileOrName);
        }
        return ChatTemplate.IsBuiltInName(fileOrName)
            ? fileOrName
            : throw new ArgumentException($"--template '{fileOrName}' is neither a file nor a built-in template name ({string.Join(", ", ChatTemplate.BuiltInNames.Take(8))}, ...).");
    }
}
