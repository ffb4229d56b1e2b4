using System.CommandLine;
using Slingshot.Evaluation.Reports;
using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;
using Slingshot.Strategies.Selection;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot report</c>: runs of a store as one self-contained HTML page (plots inline), Markdown, JSON or CSV.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var store = new Argument<string>("store") { Description = "Store file", DefaultValueFactory = _ => EvalCommand.DefaultStore };
        var runs = new Option<string[]>("--run") { Description = "Run to include (repeatable; default: every run in the store)" };
        var output = new Option<string?>("--out", "-o") { Description = "Output file: .html (self-contained, plots inline), .md, .json or .csv; default Markdown on stdout" };
        var title = new Option<string?>("--title") { Description = "Report title" };
        var command = new Command("report", "Write a report of evaluation runs: coverage-vs-k and accuracy-vs-cost plots, tables, settings") { store, runs, output, title };
        command.SetAction(async (parse, ct) =>
        {
            using var runStore = StoreCommand.OpenExisting(parse.GetRequiredValue(store));
            var ids = parse.GetValue(runs) is { Length: > 0 } chosen ? chosen : runStore.ListRuns().Select(r => r.RunId).ToArray();
            if (ids.Length == 0)
            {
                throw new StoreException($"Store '{runStore.Path}' has no runs yet (run 'slingshot eval' first).");
            }
            var summaries = ids.Select(id => RunSummaries.Load(runStore, id)).ToList();
            var problems = ids.SelectMany(id => RunSummaries.Outcomes(runStore, id).Select(p =>
            {
                var vote = MajorityVote.Tally(p.Samples.Select(s => s.Answer).ToList());
                return new ProblemResult(id, p.ProblemId, p.Samples.Count, p.Correct, vote.Winner,
                    vote.WinnerIndex is { } w && p.Samples[w].Correct);
            })).ToList();
            var input = new ReportInput { Runs = summaries, ProblemResults = problems, Title = parse.GetValue(title) ?? "Slingshot evaluation report" };
            if (parse.GetValue(output) is { } path)
            {
                await ReportWriter.WriteAsync(input, path, ct);
                Console.Error.WriteLine($"wrote {path} ({summaries.Count} runs)");
            }
            else
            {
                Console.Out.Write(MarkdownReport.Render(input));
            }
            return 0;
        });
        return command;
    }
}
