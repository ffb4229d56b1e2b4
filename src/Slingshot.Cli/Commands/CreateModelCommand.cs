using System.CommandLine;
using System.Globalization;
using Slingshot.Gguf;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot create-model</c>: a random-weight Llama model of a named or given shape, to benchmark a size before downloading it.</summary>
internal static class CreateModelCommand
{
    public static Command Create()
    {
        var output = new Argument<string?>("output") { Description = "Where to write the GGUF file", Arity = ArgumentArity.ZeroOrOne };
        var shape = new Option<string>("--shape") { Description = "A preset (see --list) or vocab=..,embd=..,layers=..,heads=..,kv=..,ff=..,ctx=..", DefaultValueFactory = _ => "tiny" };
        var type = new Option<string>("--type") { Description = "Tensor type: F32, F16 or Q8_0", DefaultValueFactory = _ => "Q8_0" };
        var seed = new Option<long>("--seed") { Description = "Seed of the random weights", DefaultValueFactory = _ => 1 };
        var list = new Option<bool>("--list") { Description = "List the preset shapes" };
        var command = new Command("create-model", "Write a random-weight Llama-architecture GGUF model of any shape") { output, shape, type, seed, list };
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
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"{parsed.Name} ({parsed.ParameterCount:N0} params, {tensorType})", maxValue: 1.0);
                    RandomModelWriter.Write(path, parsed, new RandomModelOptions
                    {
                        Seed = parse.GetValue(seed),
                        TensorType = tensorType,
                        Progress = new Progress<double>(v => task.Value = v),
                    });
                    task.Value = 1.0;
                });
            Console.Out.WriteLine($"Wrote {path} ({new FileInfo(path).Length:N0} bytes).");
            return 0;
        });
        return command;
    }
}
