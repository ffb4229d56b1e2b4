using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot grade</c>: grade samples produced elsewhere with the same graders as eval, or re-grade a stored
/// run with the current grader (no new samples).
/// </summary>
internal static class GradeCommand
{
    private static readonly string[] IdFields = ["problem_id", "task_id", "id"];
    private static readonly string[] TextFields = ["text", "completion", "sample", "response", "output"];

    public static Command Create()
    {
        var tasks = new TaskOptionSet();
        var task = new Option<string?>("--task") { Description = "Benchmark name or task file (default for --run: the run's own task)" };
        var samples = new Option<string?>("--samples") { Description = "JSONL of samples: {\"problem_id\", \"text\"} per line (HumanEval's task_id/completion accepted)" };
        var store = new Option<string>("--store") { Description = "Store holding the run to re-grade", DefaultValueFactory = _ => EvalCommand.DefaultStore };
        var run = new Option<string?>("--run") { Description = "Re-grade this stored run instead of a samples file" };
        var json = new Option<bool>("--json") { Description = "Print verdicts as JSON lines and the summary as JSON" };
        var command = new Command("grade", "Grade samples from a JSONL file, or re-grade a stored run, with eval's graders") { task, samples, store, run, json };
        tasks.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(run) is { } runId)
            {
                using var runStore = StoreCommand.OpenExisting(parse.GetRequiredValue(store), readOnly: false);
                var stored = runStore.GetRun(runId) ?? throw new StoreException($"No run '{runId}' in '{runStore.Path}'.");
                var (benchmark, _) = await tasks.ResolveAsync(parse, parse.GetValue(task) ?? RunSettingsJson.Deserialize(stored.SettingsJson).Task, ct);
                var outcome = await RunGrader.RegradeAsync(runStore, runId, benchmark, cancellationToken: ct);
                Console.Out.WriteLine($"re-graded {outcome.Graded} samples of {runId} with {benchmark.Version}: {outcome.Correct} correct, {outcome.Changed} verdicts changed");
                WriteSummary(RunSummaries.Load(runStore, runId), parse.GetValue(json));
                return 0;
            }
            var file = parse.GetValue(samples) ?? throw new ArgumentException("Give --samples <file.jsonl> to grade, or --run <id> to re-grade a stored run.");
            var taskName = parse.GetValue(task) ?? throw new ArgumentException("--task is required with --samples.");
            var (target, _) = await tasks.ResolveAsync(parse, taskName, ct);
            var lines = ReadSamples(file);
            var graded = new List<ExternalGrade>();
            var quietJson = parse.GetValue(json);
            await foreach (var grade in RunGrader.GradeExternalAsync(target, lines, ct))
            {
                graded.Add(grade);
                if (quietJson)
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(new { problem_id = grade.ProblemId, answer = grade.Grade.Answer, correct = grade.Grade.Correct, reason = grade.Grade.Reason }));
                }
                else
                {
                    Console.Out.WriteLine($"{grade.ProblemId}\t{(grade.Grade.Correct ? "PASS" : "FAIL")}\t{grade.Grade.Answer ?? "-"}\t{grade.Grade.Reason}");
                }
            }
            var outcomes = graded.GroupBy(g => g.ProblemId).Select(g => new ProblemOutcome(g.Key,
                g.Select((x, i) => new SampleOutcome(i, x.Grade.Answer, x.Grade.Correct, null)).ToList())).ToList();
            var settings = new RunSettings { Model = Path.GetFileName(file), Task = target.Name, TaskVersion = target.Version, ExtractsAnswers = target.Extractor is not null };
            WriteSummary(RunMetrics.Summarize(Path.GetFileName(file), settings, outcomes, settings.ExtractsAnswers, new CostSummary(), DateTimeOffset.UtcNow), quietJson);
            return 0;
        });
        return command;
    }

    private static void WriteSummary(RunSummary summary, bool json)
    {
        if (json)
        {
            Json.Write(summary);
            return;
        }
        SummaryTables.Write(AnsiConsole.Console, [summary]);
    }

    /// <summary>Reads (problem id, text) pairs; a malformed line is a one-line error naming it.</summary>
    internal static List<(string ProblemId, string Text)> ReadSamples(string path)
    {
        if (!File.Exists(path))
        {
            throw new SlingshotException($"Samples file '{path}' does not exist.");
        }
        var samples = new List<(string, string)>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new SlingshotException($"{path}:{number}: expected a JSON object.");
                }
                var id = FirstField(root, IdFields) ?? throw new SlingshotException($"{path}:{number}: no problem id (one of {string.Join(", ", IdFields)}).");
                var text = FirstField(root, TextFields) ?? throw new SlingshotException($"{path}:{number}: no sample text (one of {string.Join(", ", TextFields)}).");
                samples.Add((id, text));
            }
            catch (JsonException ex)
            {
                throw new SlingshotException($"{path}:{number}: not valid JSON ({ex.Message.Split('.')[0]}).");
            }
        }
        return samples;
    }

    private static string? FirstField(JsonElement root, string[] names)
    {
        foreach (var name in names)
        {
            if (root.TryGetProperty(name, out var value))
            {
                return value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    _ => null,
                };
            }
        }
        return null;
    }
}
