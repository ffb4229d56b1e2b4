using System.CommandLine;
using System.Globalization;
using Slingshot.Cli.Benchmarks;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot bench speculative</c>: target-only greedy decoding against speculative decoding (draft lengths and
/// prompt lookup) in one run, as a table and JSON.
/// </summary>
internal static class BenchSpeculativeCommand
{
    /// <summary>A generated 12-layer target whose layer-truncated draft is about a tenth of its compute per token.</summary>
    private const string DefaultShape = "vocab=4096,embd=512,layers=12,heads=8,kv=8,ff=1536,ctx=2048,name=spec-target";

    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = "Target GGUF (default: a generated target and its layer-truncated draft)" };
        var draft = new Option<string?>("--draft") { Description = "Draft GGUF sharing the target's vocabulary (with --model)" };
        var shape = new Option<string>("--shape") { Description = "Shape of the generated target", DefaultValueFactory = _ => DefaultShape };
        var draftLayers = new Option<int>("--draft-layers") { Description = "Layers the generated draft keeps", DefaultValueFactory = _ => 1 };
        var weightStd = new Option<float>("--weight-std") { Description = "Weight scale of the generated pair (smaller: later layers matter less, acceptance rises)", DefaultValueFactory = _ => 0.0005f };
        var type = new Option<string>("--type") { Description = "Tensor type of the generated pair: F32, F16, Q8_0", DefaultValueFactory = _ => "Q8_0" };
        var lengths = new Option<string>("--draft-lengths") { Description = "Comma-separated fixed draft lengths", DefaultValueFactory = _ => "2,4,6,8" };
        var noLookup = new Option<bool>("--no-lookup") { Description = "Skip the prompt-lookup configuration" };
        var generate = new Option<int>("--gen-tokens", "-g") { Description = "Tokens generated per prompt", DefaultValueFactory = _ => 128 };
        var prompts = new Option<string[]>("--prompt") { Description = "Prompt (repeatable; default: a continuation and a copy task)" };
        var reps = new Option<int>("--reps", "-r") { Description = "Repetitions; the median is reported", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads", "-t") { Description = "Decode threads", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print only the JSON report on stdout" };
        var output = new Option<string?>("--out") { Description = "Also write the JSON report to this file" };
        var command = new Command("speculative", "Compare target-only greedy decoding with speculative decoding (draft lengths, prompt lookup)")
        {
            model, draft, shape, draftLayers, weightStd, type, lengths, noLookup, generate, prompts, reps, threads, json, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            ModelOptionSet.ConfigureRuntime(parse, null, verbose: false);
            var settings = new SpeculativeBenchmarkSettings(parse.GetValue(generate), ParseLengths(parse.GetRequiredValue(lengths)), !parse.GetValue(noLookup),
                parse.GetValue(reps), parse.GetValue(threads), parse.GetValue(prompts) is { Length: > 0 } p ? p : SpeculativeBenchmark.DefaultPrompts);
            if (settings.GeneratedTokens < 2 || settings.Reps < 1 || settings.Threads < 1)
            {
                throw new ArgumentException("--gen-tokens must be at least 2, --reps and --threads at least 1.");
            }
            if (!Enum.TryParse<Gguf.GgmlType>(parse.GetRequiredValue(type), true, out var tensorType))
            {
                throw new ArgumentException($"--type must be F32, F16 or Q8_0 (got {parse.GetValue(type)}).");
            }
            var (targetPath, draftPath) = parse.GetValue(model) is { } m
                ? (DefaultModel.Resolve(m), parse.GetValue(draft))
                : SpeculativeBenchmark.GeneratedPair(parse.GetRequiredValue(shape), parse.GetValue(draftLayers), parse.GetValue(weightStd), tensorType);
            if (draftPath is not null && !File.Exists(draftPath))
            {
                throw new ArgumentException($"--draft: '{draftPath}' does not exist.");
            }

            var report = await BenchmarkConsole.RunWithProgressAsync("speculative",
                progress => SpeculativeBenchmark.RunAsync(targetPath, draftPath, settings, progress, ct));
            var text = await BenchmarkConsole.ToJsonAsync(report, parse.GetValue(output), ct);
            if (!parse.GetValue(json))
            {
                var table = new Table().Border(TableBorder.Rounded)
                    .AddColumns("configuration", "tok/s (median)", "speed-up (wall)", "speed-up (CPU time)", "acceptance", "tokens / target pass", "identical to target");
                foreach (var r in report.Results)
                {
                    table.AddRow(Markup.Escape(r.Name), F(r.TokensPerSecond, "F1"), F(r.Speedup, "F2") + "x", F(r.CpuSpeedup, "F2") + "x",
                        r.AcceptanceRate is { } a ? F(a * 100, "F0") + "%" : "-", r.TokensPerTargetPass is { } t ? F(t, "F2") : "-",
                        r.IdenticalToTargetOnly ? "yes" : "[red]no[/]");
                }
                var draftText = report.Draft is null ? "no draft model" : $"draft {report.Draft} ({report.DraftParameters:N0} params)";
                AnsiConsole.MarkupLine(Markup.Escape($"target {report.Target} ({report.TargetParameters:N0} params), {draftText}, {report.Threads} thread(s), " +
                    $"{report.GeneratedTokens} greedy tokens x {report.Prompts} prompts"));
                AnsiConsole.Write(table);
            }
            Console.Out.WriteLine(text);
            return 0;
        });
        return command;
    }

    private static int[] ParseLengths(string text)
    {
        try
        {
            var lengths = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return lengths.Length > 0 && lengths.All(k => k is >= 1 and <= 64) ? lengths : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--draft-lengths must be comma-separated lengths between 1 and 64 (got '{text}').");
        }
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
