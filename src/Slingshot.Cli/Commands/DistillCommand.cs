using System.CommandLine;
using System.Globalization;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;
using Slingshot.Evaluation.Training;
using Slingshot.Training;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot distill</c>: fine-tunes a model on the verified samples of a run (its own: STaR / rejection-sampling
/// fine-tuning; a teacher's: distillation), taken from the training split only, and evaluates it before and after.
/// </summary>
internal static class DistillCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "The student GGUF to fine-tune (F32 or F16 weights)", Required = true };
        var store = new Option<string>("--store") { Description = "Store holding the run whose verified samples are the data", DefaultValueFactory = _ => EvalCommand.DefaultStore };
        var run = new Option<string>("--run") { Description = "The run to learn from (the student's own samples, or a teacher's)", Required = true };
        var trainTask = new Option<string>("--train-task") { Description = "The training split's task: only its problems are used", Required = true };
        var evalTask = new Option<string?>("--eval-task") { Description = "A held-out task: its problems are never used, and the student is evaluated on it before and after (k=1, greedy)" };
        var evalLimit = new Option<int?>("--eval-limit") { Description = "Evaluate on the first N problems of --eval-task" };
        var perProblem = new Option<int>("--per-problem") { Description = "At most this many distinct verified samples per problem", DefaultValueFactory = _ => 1 };
        var tasks = new TaskOptionSet();
        var set = new TrainOptionSet();
        var command = new Command("distill", "Fine-tune a model on a run's verified samples of the training split (STaR, or a teacher's samples), evaluating before and after")
        {
            model, store, run, trainTask, evalTask, evalLimit, perProblem,
        };
        set.AddTo(command, withData: false);
        tasks.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            ModelOptionSet.ConfigureRuntime(parse, parse.GetValue(set.CpuVariant), parse.GetValue(set.Verbose));
            var storePath = parse.GetRequiredValue(store);
            var (train, _) = await tasks.ResolveAsync(parse, parse.GetRequiredValue(trainTask), ct);
            IBenchmarkTask? heldOut = parse.GetValue(evalTask) is { } e ? (await tasks.ResolveAsync(parse, e, ct)).Task : null;
            var data = DistillationData.Select(storePath, parse.GetRequiredValue(run), train, heldOut is null ? [] : [heldOut],
                new DistillationOptions { MaxPerProblem = parse.GetValue(perProblem) });
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"distill: {data.Examples:N0} verified samples of {data.Problems:N0} of the run's {data.TrainSplitProblems:N0} training-split problems (left out: {data.OutsideTrainSplit:N0} outside the split, {data.HeldOut:N0} held out)"));

            var job = set.Job(parse, parse.GetRequiredValue(model), data.Source);
            var options = job.Options;
            RunSummary? before = null;
            if (heldOut is not null)
            {
                before = await EvaluateAsync(heldOut, job.ModelPath, storePath, parse.GetValue(evalLimit), options.EffectiveThreads, ct);
            }
            var result = await TrainingRunner.TrainAsync(job, "distill", ct);
            RunSummary? after = null;
            if (heldOut is not null && result.OutputPath is { } output)
            {
                after = await EvaluateAsync(heldOut, output, storePath, parse.GetValue(evalLimit), options.EffectiveThreads, ct);
            }
            if (parse.GetValue(set.Json))
            {
                Json.Write(new { data.Examples, data.Problems, data.TrainSplitProblems, data.OutsideTrainSplit, data.HeldOut, Training = result, Before = before, After = after });
                return 0;
            }
            TrainingRunner.Print(result, job, "distill");
            if (before is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{heldOut!.Name} pass@1 (greedy, {before.Problems} problems): {before.CoverageAtN:P1} before, {(after is null ? "-" : after.CoverageAtN.ToString("P1", CultureInfo.InvariantCulture))} after (runs {before.RunId}{(after is null ? "" : ", " + after.RunId)} in {storePath})"));
            }
            return 0;
        });
        return command;
    }

    /// <summary>One greedy sample per problem, stored in the same store (re-running resumes the same run).</summary>
    private static async Task<RunSummary> EvaluateAsync(IBenchmarkTask task, string modelPath, string storePath, int? limit, int threads, CancellationToken ct)
    {
        var model = LlamaModel.Load(modelPath);
        LlamaEngine engine;
        try
        {
            // 16 problems at once, each in its own share of the context (the model's training context, at most 2048).
            const int Sequences = 16;
            var perSequence = (int)Math.Clamp(model.Info.TrainContextLength, 256, 2048);
            engine = new LlamaEngine(model, new EngineOptions { Threads = threads, MaxSequences = Sequences, ContextSize = Sequences * perSequence, SharedKvCache = false });
        }
        catch
        {
            model.Dispose();
            throw;
        }
        using var loaded = new LoadedEngine(model, engine, []);
        using var runStore = RunStore.Open(storePath);
        var options = new EvalOptions { SamplesPerProblem = 1, Temperature = 0, Limit = limit, Seed = 1 };
        options.Validate();
        var runner = new EvalRunner(task, EvalCommand.LocalModel(loaded, 2, TokenPrice.Free), runStore, options);
        Console.Error.WriteLine($"evaluating {Path.GetFileName(modelPath)} on {task.Name}: run {runner.RunId}");
        return await EvalProgressBar.RunAsync(runner, ct);
    }
}
