using System.CommandLine;
using System.Globalization;
using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Runs;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot compare</c>: small model at k samples vs large model at 1: where it catches up, and the cost ratio there.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var candidate = new Argument<string>("candidate") { Description = "Run of the small model with many samples" };
        var reference = new Argument<string>("reference") { Description = "Run of the large model (its one-sample accuracy is the target)" };
        var store = new Option<string>("--store") { Description = "Store holding both runs", DefaultValueFactory = _ => EvalCommand.DefaultStore };
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON" };
        var command = new Command("compare", "Find the k at which a many-sample run matches another run's one-sample accuracy, and the cost ratio there")
        {
            candidate, reference, store, json,
        };
        command.SetAction(parse =>
        {
            using var runStore = StoreCommand.OpenExisting(parse.GetRequiredValue(store));
            var candidateId = parse.GetRequiredValue(candidate);
            var small = RunSummaries.Load(runStore, candidateId);
            var referenceId = parse.GetRequiredValue(reference);
            var large = RunSummaries.Load(runStore, referenceId);
            var comparison = RunComparison.Compare(small, RunSummaries.Outcomes(runStore, candidateId), large, RunSummaries.Outcomes(runStore, referenceId));
            if (parse.GetValue(json))
            {
                Json.Write(new { candidate = small.RunId, reference = large.RunId, comparison.SharedProblems, comparison.CostUnit, comparison.Coverage, comparison.MajorityVote });
                return 0;
            }
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(small.Settings.Model)}[/] ({small.SamplesPerProblem} samples) vs [bold]{Markup.Escape(large.Settings.Model)}[/] at 1 sample, " +
                $"{Markup.Escape(small.Settings.Task)}, {comparison.SharedProblems} shared problems; cost in {comparison.CostUnit}");
            var table = new Table().Border(TableBorder.Rounded).AddColumns("selection", "target", "k reached", "k predicted (fit)", "cost ratio at k");
            foreach (var row in new[] { comparison.Coverage, comparison.MajorityVote }.OfType<CatchUp>())
            {
                table.AddRow(row.Metric == "coverage" ? "coverage (oracle verifier)" : "majority vote",
                    Invariant($"{row.Target:P1}"),
                    row.K is { } k ? Invariant($"{k}") : Invariant($"not within {small.SamplesPerProblem}"),
                    row.PredictedK is { } p ? Invariant($"{p:F1}") : "-",
                    row.CostRatio is { } r ? Invariant($"{r:G3}x") : "-");
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
