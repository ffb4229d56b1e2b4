using System.CommandLine;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot quantize</c>: a quantized copy of a GGUF model through llama_model_quantize.</summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "Source GGUF model" };
        var output = new Argument<string>("output") { Description = "Where to write the quantized model" };
        var type = new Option<string>("--type") { Description = $"Target type: {string.Join(", ", ModelQuantizer.Types.Keys)}", DefaultValueFactory = _ => "Q8_0" };
        var threads = new Option<int?>("--threads", "-t") { Description = "Threads (default: the machine's cores)" };
        var command = new Command("quantize", "Quantize a GGUF model (Q8_0, Q4_0, Q4_K_M, ...)") { input, output, type, threads };
        command.SetAction(parse =>
        {
            var source = parse.GetRequiredValue(input);
            var target = parse.GetRequiredValue(output);
            var kind = parse.GetRequiredValue(type);
            ModelOptionSet.ConfigureRuntime(parse, null, verbose: false);
            var started = System.Diagnostics.Stopwatch.StartNew();
            AnsiConsole.Status().Start($"Quantizing {Path.GetFileName(source)} to {kind}...", _ =>
                ModelQuantizer.Quantize(source, target, kind, parse.GetValue(threads)));
            Console.Out.WriteLine($"Wrote {target} ({new FileInfo(target).Length:N0} bytes, from {new FileInfo(source).Length:N0}) in {started.Elapsed.TotalSeconds:F1} s.");
            return 0;
        });
        return command;
    }
}
