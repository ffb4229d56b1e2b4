using System.CommandLine;
using System.Globalization;
using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot store</c>: list, merge and delete runs in evaluation stores.</summary>
internal static class StoreCommand
{
    public static Command Create() => new("store", "Manage evaluation stores: list runs, merge shards, delete a run")
    {
        List(), Merge(), Delete(),
    };

    private static Command List()
    {
        var store = new Argument<string>("store") { Description = "Store file", DefaultValueFactory = _ => EvalCommand.DefaultStore };
        var json = new Option<bool>("--json") { Description = "Print as JSON" };
        var command = new Command("list", "List the runs in a store with their sample counts") { store, json };
        command.SetAction(parse =>
        {
            using var runStore = OpenExisting(parse.GetRequiredValue(store));
            var rows = runStore.ListRuns().Select(r =>
            {
                var settings = RunSettingsJson.Deserialize(r.SettingsJson);
                var samples = runStore.GetSamples(r.RunId);
                return new
                {
                    run = r.RunId, model = settings.Model, task = settings.Task, version = settings.TaskVersion,
                    problems = samples.Select(s => s.ProblemId).Distinct().Count(), samples = samples.Count,
                    ungraded = samples.Count(s => s.Correct is null), created = r.CreatedAt,
                };
            }).ToList();
            if (parse.GetValue(json))
            {
                Json.Write(rows);
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("run", "model", "task", "problems", "samples", "ungraded", "created");
            foreach (var r in rows)
            {
                table.AddRow(Markup.Escape(r.run), Markup.Escape(r.model), Markup.Escape($"{r.task} ({r.version})"), Int(r.problems), Int(r.samples),
                    Int(r.ungraded), r.created.ToString("u", CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Merge()
    {
        var into = new Argument<string>("into") { Description = "Store to merge into (created when missing)" };
        var from = new Argument<string[]>("from") { Description = "Stores to merge from (for example the shards' stores)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge", "Join stores (shards of one run drawn on several machines) into one") { into, from };
        command.SetAction(parse =>
        {
            using var target = RunStore.Open(parse.GetRequiredValue(into));
            foreach (var source in parse.GetRequiredValue(from))
            {
                var result = target.MergeFrom(source);
                Console.Out.WriteLine($"{source}: {result.Runs} runs, {result.SamplesAdded} samples added, {result.SamplesPresent} already present");
            }
            return 0;
        });
        return command;
    }

    private static Command Delete()
    {
        var store = new Argument<string>("store") { Description = "Store file" };
        var run = new Argument<string>("run") { Description = "Run id" };
        var command = new Command("delete", "Delete a run and all its samples") { store, run };
        command.SetAction(parse =>
        {
            using var runStore = OpenExisting(parse.GetRequiredValue(store), readOnly: false);
            var id = parse.GetRequiredValue(run);
            if (!runStore.DeleteRun(id))
            {
                throw new StoreException($"No run '{id}' in '{runStore.Path}'.");
            }
            Console.Out.WriteLine($"deleted run {id}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Opens a store that must already exist: reading commands (read-only, the default) and commands that change a store
    /// (delete, grade) never create an empty one by mistake.
    /// </summary>
    public static RunStore OpenExisting(string path, bool readOnly = true)
    {
        if (!readOnly && !File.Exists(path))
        {
            throw new StoreException($"Store '{path}' does not exist (run 'slingshot eval' first, or pass the store's path).");
        }
        return RunStore.Open(path, readOnly);
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
