using System.CommandLine;
using Slingshot.Training;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot train</c>: a new model from scratch: a shape, a tokenizer, random F32 weights, then training.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var shape = new Option<string>("--shape") { Description = "A create-model preset or embd=..,layers=..,heads=..,kv=..,ff=..,ctx=.. (vocab comes from the tokenizer)", Required = true };
        var tokenizer = new Option<string>("--tokenizer") { Description = "A GGUF whose tokenizer to use (e.g. stories260K.gguf), 'chars' for a character vocabulary built from --data, or 'words' for characters plus the data's frequent words", Required = true };
        var template = new Option<string?>("--template") { Description = "Chat template to store in the model: chatml or template text (adds ChatML's control tokens when missing)" };
        var name = new Option<string?>("--name") { Description = "The model's name (general.name)" };
        var initSeed = new Option<long>("--init-seed") { Description = "Seed of the initial weights", DefaultValueFactory = _ => 1 };
        var initStd = new Option<float>("--init-std") { Description = "Standard deviation of the initial weights", DefaultValueFactory = _ => 0.02f };
        var set = new TrainOptionSet();
        var command = new Command("train", "Train a new model from scratch (random F32 weights of a shape, a tokenizer from a GGUF or the data's characters)")
        {
            shape, tokenizer, template, name, initSeed, initStd,
        };
        set.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            ModelOptionSet.ConfigureRuntime(parse, parse.GetValue(set.CpuVariant), parse.GetValue(set.Verbose));
            var job = set.Job(parse, "");
            var directory = job.EffectiveCheckpointDirectory;
            Directory.CreateDirectory(directory);
            var initial = Path.Combine(directory, "init.gguf");
            // The starting point is written once; a resumed run must start from the very same file.
            if (!(job.Resume && File.Exists(initial)))
            {
                var source = parse.GetRequiredValue(tokenizer);
                var words = source.Equals("words", StringComparison.OrdinalIgnoreCase);
                var chars = words || source.Equals("chars", StringComparison.OrdinalIgnoreCase);
                var written = ScratchModel.Write(initial, new ScratchModelOptions
                {
                    Shape = parse.GetRequiredValue(shape),
                    TokenizerModel = chars ? null : source,
                    CharacterText = chars ? CharacterText(job, parse.GetValue(template)) : null,
                    WholeWords = words,
                    ChatTemplate = parse.GetValue(template),
                    Seed = parse.GetValue(initSeed),
                    WeightStdDev = parse.GetValue(initStd),
                    Name = parse.GetValue(name) ?? Path.GetFileNameWithoutExtension(job.OutputPath),
                });
                Console.Error.WriteLine($"initial model: {written.ParameterCount:N0} parameters (vocab {written.VocabSize}, embd {written.EmbeddingLength}, {written.LayerCount} layers, {written.HeadCount} heads, ff {written.FeedForwardLength}) in {initial}");
            }
            return await TrainingRunner.RunAsync(parse, set, job with { ModelPath = initial }, "train", cancellationToken);
        });
        return command;
    }

    /// <summary>Every character the data (and the chat template) could put in front of the tokenizer.</summary>
    private static string CharacterText(TrainingJob job, string? template)
    {
        var text = new System.Text.StringBuilder(template == "chatml" ? "\n" : template ?? "");
        foreach (var source in new[] { job.Data, job.Validation }.OfType<TrainingDataFile>())
        {
            foreach (var example in source.ReadExamples())
            {
                text.Append(example switch
                {
                    TextExample t => t.Text,
                    PromptCompletionExample pc => pc.Prompt + pc.Completion,
                    ChatExample chat => string.Concat(chat.Messages.Select(m => m.Role + "\n" + m.Content)),
                    _ => "",
                });
            }
        }
        return text.ToString();
    }
}
