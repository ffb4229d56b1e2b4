using System.CommandLine;
using System.Globalization;
using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;
using Slingshot.Strategies.Judging;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot judge</c>: a small judge model scores every stored sample of a run (P(yes) from its logits) and
/// the highest-scored sample per problem is taken; its accuracy is shown beside the run's oracle-verifier,
/// log-probability and majority-vote selection. Nothing is drawn; the samples' grades come from the store.
/// </summary>
internal static class JudgeCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The stored run whose samples are judged", Required = true };
        var judge = new Option<string>("--judge") { Description = "The judge model (GGUF)", Required = true };
        var question = new Option<string>("--question") { Description = "What the judge is asked: correct, grounded or safe", DefaultValueFactory = _ => "correct" };
        var template = new Option<string?>("--template") { Description = "A custom yes/no question with {question}, {candidate}, {reference} (overrides --question)" };
        var chatTemplate = new Option<string?>("--chat-template") { Description = "Chat template for the judge (a built-in name or text); default the model's own, plain text without one" };
        var store = new Option<string>("--store") { Description = "Store holding the run", DefaultValueFactory = _ => EvalCommand.DefaultStore };
        var samples = new Option<int?>("--samples") { Description = "Judge only the first N samples of each problem" };
        var context = new Option<int>("--ctx") { Description = "Judge context size (0 = the model's, at most 4096)", DefaultValueFactory = _ => 0 };
        var threads = new Option<int?>("--threads", "-t") { Description = "Judge decode threads (default: the machine's cores)" };
        var parallel = new Option<int>("--parallel") { Description = "Samples judged at once (decoded together)", DefaultValueFactory = _ => 4 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("judge", "Score a stored run's samples with a judge model and report judge-selected accuracy")
        {
            run, judge, question, template, chatTemplate, store, samples, context, threads, parallel, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var parallelism = parse.GetValue(parallel);
            if (parallelism < 1)
            {
                throw new ArgumentException($"--parallel must be at least 1 (got {parallelism}).");
            }
            var options = new JudgeOptions
            {
                Template = parse.GetValue(template) is { } custom ? JudgeTemplate.Custom(custom) : JudgeTemplate.Preset(parse.GetRequiredValue(question)),
                ChatTemplate = parse.GetValue(chatTemplate),
            };
            options.Validate();
            var runId = parse.GetRequiredValue(run);
            using var runStore = StoreCommand.OpenExisting(parse.GetRequiredValue(store));
            var summary = RunSummaries.Load(runStore, runId, parse.GetValue(samples));
            var judgePath = parse.GetRequiredValue(judge);
            if (!File.Exists(judgePath))
            {
                throw new SlingshotException($"Judge model '{judgePath}' does not exist.");
            }
            ModelOptionSet.ConfigureRuntime(parse, cpuVariant: null, verbose: false);
            using var engine = LlamaEngine.Load(judgePath, new EngineOptions
            {
                ContextSize = parse.GetValue(context),
                Threads = parse.GetValue(threads),
                MaxSequences = parallelism,
            });
            var verifier = new JudgeVerifier(engine, options);
            var result = await JudgeWithProgressAsync(runStore, runId, verifier, parse.GetValue(samples), parallelism, summary.Problems * summary.SamplesPerProblem, ct);
            var report = new JudgeReport(runId, Path.GetFileName(judgePath), verifier.Name, summary.Problems, result.SamplesPerProblem,
                summary.MajorityAtN, summary.VerifierSelectedAccuracy, summary.LogprobSelectedAccuracy, result.Accuracy, result.Problems);
            if (parse.GetValue(json))
            {
                Json.Write(report);
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).Title("[bold]selection[/]")
                .AddColumns("run", "judge", "problems", "k", "maj@k", "oracle verifier", "best logprob", "judge");
            table.AddRow(Markup.Escape(runId), Markup.Escape($"{report.JudgeModel} ({report.Judge})"), Int(report.Problems), Int(report.SamplesPerProblem),
                Percent(report.MajorityVote), Percent(report.VerifierSelected), Percent(report.LogprobSelected), Percent(report.JudgeSelected));
            AnsiConsole.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static async Task<JudgeSelectionResult> JudgeWithProgressAsync(RunStore store, string runId, JudgeVerifier verifier, int? samples,
        int parallelism, int total, CancellationToken ct)
    {
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        JudgeSelectionResult result = null!;
        await stderr.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask("judging samples", maxValue: Math.Max(1, total));
                var progress = new InlineProgress(done => bar.Value = done);
                result = await JudgeSelection.EvaluateAsync(store, runId, verifier, samples, parallelism, progress, ct);
                bar.Value = bar.MaxValue;
            });
        return result;
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>Reports on the caller's thread: the bar only reads the latest value.</summary>
    private sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

/// <summary>The JSON shape of <c>slingshot judge</c>: every selection's accuracy on the same samples.</summary>
internal sealed record JudgeReport(string RunId, string JudgeModel, string Judge, int Problems, int SamplesPerProblem,
    double? MajorityVote, double? VerifierSelected, double? LogprobSelected, double JudgeSelected, IReadOnlyList<JudgedProblem> Choices);
