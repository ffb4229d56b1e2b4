using System.CommandLine;
using System.Globalization;
using Slingshot.Cli.Benchmarks;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot bench harness</c>: what the evaluation harness adds to generation time, as a table and JSON.</summary>
internal static class BenchHarnessCommand
{
    public static Command Create()
    {
        var models = new ModelOptionSet();
        var tasks = new TaskOptionSet();
        var task = new Option<string>("--task") { Description = "Benchmark whose prompts and grader are used", DefaultValueFactory = _ => "gsm8k" };
        var problems = new Option<int>("--problems") { Description = "Problems per round", DefaultValueFactory = _ => 4 };
        var k = new Option<int>("--samples", "-k") { Description = "Samples per problem", DefaultValueFactory = _ => 64 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens per sample", DefaultValueFactory = _ => 64 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature", DefaultValueFactory = _ => 0.8 };
        var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight", DefaultValueFactory = _ => 2 };
        var rounds = new Option<int>("--rounds", "-r") { Description = "Alternating rounds; medians are reported", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print only the JSON report" };
        var command = new Command("harness", "Measure the evaluation harness's overhead (store, grading, bookkeeping) against bare n-sample calls")
        {
            task, problems, k, maxTokens, temperature, concurrency, rounds, json,
        };
        models.AddTo(command);
        tasks.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var settings = new HarnessBenchmarkSettings(parse.GetValue(problems), parse.GetValue(k), parse.GetValue(maxTokens),
                parse.GetValue(temperature), parse.GetValue(concurrency), parse.GetValue(rounds));
            if (settings.Problems < 1 || settings.Samples < 1 || settings.MaxTokens < 1 || settings.Concurrency < 1 || settings.Rounds < 1)
            {
                throw new ArgumentException("--problems, -k, --max-tokens, --concurrency and --rounds must be at least 1.");
            }
            var (benchmark, _) = await tasks.ResolveAsync(parse, parse.GetRequiredValue(task), ct);
            using var loaded = models.Load(parse);
            var report = await BenchmarkConsole.RunWithProgressAsync("harness benchmark",
                progress => HarnessBenchmark.RunAsync(loaded, benchmark, settings, progress, ct));
            if (!parse.GetValue(json))
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumns("round", "bare n-sample (s)", "harness (s)", "wall overhead", "store + grading / generation", "tokens (bare / harness)");
                for (var i = 0; i < report.Rounds.Count; i++)
                {
                    var r = report.Rounds[i];
                    table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), F(r.BareSeconds, "F2"), F(r.HarnessSeconds, "F2"), F(r.Overhead * 100, "+0.0;-0.0") + "%",
                        F(r.AccountedShare * 100, "F2") + "%", $"{r.BareTokens} / {r.HarnessTokens}");
                }
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Model)}[/] ({report.Parameters:N0} params), {report.Threads} threads, {Markup.Escape(report.Task)}: " +
                    $"{settings.Problems} problems x {settings.Samples} samples, {settings.MaxTokens} tokens each");
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"medians: wall overhead {F(report.MedianOverhead * 100, "+0.0;-0.0")}%, store + grading [green]{F(report.MedianAccountedShare * 100, "F2")}%[/] of generation time ({F(report.BareTokensPerSecond, "F0")} tok/s bare)");
            }
            Console.Out.WriteLine(await BenchmarkConsole.ToJsonAsync(report, file: null, ct));
            return 0;
        });
        return command;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
