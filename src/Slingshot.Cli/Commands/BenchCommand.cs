using System.CommandLine;
using System.Globalization;
using Slingshot.Cli.Benchmarks;
using Slingshot.Gguf;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot bench</c>: prefill and decode throughput, 1 and n forked samples, as a table and JSON.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = "GGUF model to measure (default: the bundled stories260K)" };
        var shape = new Option<string?>("--shape") { Description = "Measure a generated random-weight model of this shape instead (e.g. llama-100m)" };
        var type = new Option<string>("--type") { Description = "Tensor type of the generated model: F32, F16, Q8_0", DefaultValueFactory = _ => "Q8_0" };
        var threads = new Option<int?>("--threads", "-t") { Description = "Decode threads (default: the machine's cores)" };
        var prompt = new Option<int>("--prompt-tokens", "-p") { Description = "Prompt length for the prefill test", DefaultValueFactory = _ => 512 };
        var generate = new Option<int>("--gen-tokens", "-g") { Description = "Tokens generated per sample in the decode tests", DefaultValueFactory = _ => 128 };
        var samples = new Option<string>("--samples") { Description = "Comma-separated sample counts for the decode tests", DefaultValueFactory = _ => "1,4,16" };
        var reps = new Option<int>("--reps", "-r") { Description = "Repetitions; the median is reported", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print only the JSON report on stdout" };
        var output = new Option<string?>("--out") { Description = "Also write the JSON report to this file" };
        var cpuVariant = new Option<string?>("--cpu-variant") { Description = "Pin a CPU backend variant" };
        var splitKv = new Option<bool>("--split-kv") { Description = "Give each sequence its own KV cells instead of one shared cache" };
        var command = new Command("bench", "Measure prefill and decode throughput (JSON out); 'bench harness' measures the evaluation harness")
        {
            model, shape, type, threads, prompt, generate, samples, reps, json, output, cpuVariant, splitKv, BenchHarnessCommand.Create(), BenchHttpCommand.Create(), BenchSpeculativeCommand.Create(),
        };
        command.SetAction(async (parse, ct) =>
        {
            ModelOptionSet.ConfigureRuntime(parse, parse.GetValue(cpuVariant), verbose: false);
            var counts = ParseCounts(parse.GetRequiredValue(samples));
            string path;
            if (parse.GetValue(shape) is { } shapeName)
            {
                if (!Enum.TryParse<GgmlType>(parse.GetRequiredValue(type), true, out var tensorType))
                {
                    throw new ArgumentException($"--type must be F32, F16 or Q8_0 (got {parse.GetValue(type)}).");
                }
                path = EngineBenchmark.GeneratedModel(shapeName, tensorType);
            }
            else
            {
                path = DefaultModel.Resolve(parse.GetValue(model));
            }
            var settings = new EngineBenchmarkSettings(parse.GetValue(prompt), parse.GetValue(generate), counts, parse.GetValue(reps), parse.GetValue(threads), parse.GetValue(splitKv));
            var quiet = parse.GetValue(json);
            var report = await BenchmarkConsole.RunWithProgressAsync($"bench {Path.GetFileName(path)}",
                progress => EngineBenchmark.RunAsync(path, settings, progress, ct));
            var text = await BenchmarkConsole.ToJsonAsync(report, parse.GetValue(output), ct);
            if (!quiet)
            {
                var table = new Table().AddColumns("test", "samples", "tok/s (median)", "runs").Border(TableBorder.Rounded);
                foreach (var m in report.Results)
                {
                    table.AddRow(m.Name == "prefill" ? $"prefill {report.PromptTokens}" : $"decode {report.GeneratedTokens}", m.Samples.ToString(CultureInfo.InvariantCulture),
                        m.TokensPerSecond.ToString("F1", CultureInfo.InvariantCulture), string.Join(", ", m.Runs.Select(r => r.ToString("F0", CultureInfo.InvariantCulture))));
                }
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Description)}[/] ({report.Parameters:N0} params, {Markup.Escape(report.Quantization)}), {report.Threads} threads, CPU {report.CpuVariant}, {(report.SharedKvCache ? "shared" : "split")} KV cache");
                AnsiConsole.Write(table);
                if (report.BatchSpeedup is { } speedup)
                {
                    AnsiConsole.MarkupLine($"aggregate decode with {counts.Max()} samples: [green]{speedup:F2}x[/] single-sequence decode");
                }
            }
            Console.Out.WriteLine(text);
            return 0;
        });
        return command;
    }

    private static int[] ParseCounts(string text)
    {
        try
        {
            var counts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return counts.Length > 0 && counts.All(c => c is >= 1 and <= 256) ? counts : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--samples must be comma-separated counts between 1 and 256 (got '{text}').");
        }
    }
}
