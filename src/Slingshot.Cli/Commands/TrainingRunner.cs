using System.CommandLine;
using System.Globalization;
using Slingshot.Evaluation.Training;
using Slingshot.Training;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>Runs a training job under a progress bar on stderr, then prints the outcome and writes the HTML report.</summary>
internal static class TrainingRunner
{
    public static async Task<int> RunAsync(ParseResult parse, TrainOptionSet set, TrainingJob job, string what, CancellationToken cancellationToken)
    {
        var result = await TrainAsync(job, what, cancellationToken);
        if (parse.GetValue(set.Json))
        {
            Json.Write(result);
            return 0;
        }
        Print(result, job, what);
        return 0;
    }

    /// <summary>Trains under the progress bar and writes the report; prints nothing else.</summary>
    public static async Task<TrainingResult> TrainAsync(TrainingJob job, string what, CancellationToken cancellationToken)
    {
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        TrainingResult result = null!;
        try
        {
            await stderr.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var bar = ctx.AddTask("preparing", maxValue: 1);
                    var progress = new InlineProgress(p =>
                    {
                        bar.MaxValue = Math.Max(1, p.TotalSteps);
                        bar.Value = Math.Min(p.Step, bar.MaxValue);
                        bar.Description = Describe(p);
                    });
                    result = await new LlamaTrainer().TrainAsync(job, progress, cancellationToken);
                    bar.Value = bar.MaxValue;
                });
        }
        finally
        {
            WriteReport(job, what);
        }
        return result;
    }

    private static string Describe(TrainingProgress p) => p.Phase switch
    {
        TrainingPhase.Preparing => "preparing",
        TrainingPhase.Validating => $"validating (epoch {p.Epoch + 1}/{p.Epochs})",
        TrainingPhase.Checkpointing => $"checkpoint at step {p.Step}",
        _ => string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch + 1}/{p.Epochs} step {p.Step}/{p.TotalSteps} loss {p.Loss:0.000} lr {p.LearningRate:0.0e+0} {p.TokensPerSecond:N0} tok/s"),
    };

    public static void Print(TrainingResult result, TrainingJob job, string what)
    {
        var o = Console.Out;
        foreach (var note in result.Notes)
        {
            Console.Error.WriteLine($"note: {note}");
        }
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {result.TrainedTensors.Count} tensors ({result.TrainedParameters:N0} parameters) trained on {result.Data.TrainExamples:N0} examples ({result.Data.TrainTokens:N0} tokens, {result.Data.WindowsPerEpoch:N0} windows of {job.Options.ContextSize} per epoch), {result.Data.ValidationExamples:N0} held out"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"steps {result.Steps:N0}/{result.TotalSteps:N0}, epochs {result.Epochs.Count}/{job.Options.Epochs}{(result.StoppedEarly ? " (stopped early)" : "")}, {result.TokensPerSecond:N0} training tokens/s"));
        if (result.InitialValidation is { } before)
        {
            var after = result.FinalValidation;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"validation loss {before.Loss:0.0000} -> {(after is null ? "-" : after.Loss.ToString("0.0000", CultureInfo.InvariantCulture))}, token accuracy {before.Accuracy:P1} -> {(after is null ? "-" : after.Accuracy.ToString("P1", CultureInfo.InvariantCulture))}{(result.BestEpoch is { } b && after is not null ? $" (best epoch {b + 1})" : "")}"));
        }
        var dir = job.EffectiveCheckpointDirectory;
        if (result.OutputPath is { } output)
        {
            o.WriteLine($"Wrote {output} ({new FileInfo(output).Length:N0} bytes); log {result.LogPath}, report {Path.Combine(dir, "report.html")}");
        }
        else
        {
            o.WriteLine($"Stopped at step {result.Steps:N0} of {result.TotalSteps:N0}; checkpoint in {dir}: continue with the same command and --resume");
        }
    }

    private static void WriteReport(TrainingJob job, string what)
    {
        var dir = job.EffectiveCheckpointDirectory;
        var log = Path.Combine(dir, "log.jsonl");
        if (File.Exists(log))
        {
            File.WriteAllText(Path.Combine(dir, "report.html"),
                TrainingReport.RenderHtml(TrainingLog.ReadAll(log), $"{what}: {Path.GetFileName(job.OutputPath)}"));
        }
    }

    /// <summary>Reports on the trainer's thread: the bar only reads the latest values.</summary>
    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
