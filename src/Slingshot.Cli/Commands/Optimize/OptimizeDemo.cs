using System.Globalization;
using System.Text.Json;

namespace Slingshot.Cli.Commands;

/// <summary>
/// What <c>slingshot optimize --demo</c> runs on. The task models of the training work live under
/// <see cref="TaskModelFolder"/> beside the command (copied there from the checkout's models/ folder, like the bundled
/// stories260K): a small and a large model trained on the generated gsm-arith task, with its task file and data.
/// Until those files exist, the demo stands in the bundled stories260K for both models and a small arithmetic task it
/// generates itself (same GSM8K answer format), and says so: the search, outputs and served file are the same, the
/// accuracies are not the mission's claim.
/// </summary>
internal static class OptimizeDemo
{
    /// <summary>The folder (relative to the command) holding the trained task models and task.</summary>
    public static readonly string TaskModelFolder = Path.Combine("models", "gsm-arith");

    /// <summary>The small task model's file name.</summary>
    public const string SmallModelFile = "small.gguf";

    /// <summary>The large task model's file name.</summary>
    public const string LargeModelFile = "large.gguf";

    /// <summary>The task file (user task format) whose problems the demo optimizes on.</summary>
    public const string TaskFile = "task.json";

    /// <summary>Problems the demo uses (half development, half held out).</summary>
    public const int Problems = 40;

    /// <summary>What the demo will run on.</summary>
    /// <param name="Task">Task file.</param>
    /// <param name="Small">The small model.</param>
    /// <param name="Large">The large model.</param>
    /// <param name="StandIn">Why stand-ins are used (the task models are missing), or null with the task models.</param>
    public sealed record Assets(string Task, string Small, string Large, string? StandIn);

    /// <summary>The task models when present, otherwise the bundled model and a generated task written under <paramref name="outDirectory"/>.</summary>
    public static Assets Resolve(string outDirectory)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, TaskModelFolder);
        var task = Path.Combine(folder, TaskFile);
        var small = Path.Combine(folder, SmallModelFile);
        var large = Path.Combine(folder, LargeModelFile);
        if (File.Exists(task) && File.Exists(small) && File.Exists(large) && TaskDataPresent(task))
        {
            return new Assets(task, small, large, null);
        }
        var stories = DefaultModel.Resolve(null);
        var generated = WriteGeneratedTask(Path.Combine(outDirectory, "demo-task"));
        return new Assets(generated, stories, stories,
            $"the task models ({Path.Combine(TaskModelFolder, SmallModelFile)}, {LargeModelFile} and {TaskFile} with its data) are not in this installation yet, " +
            "so the demo uses the bundled stories260K as both candidates and a generated arithmetic task: its figures show the search, not the task models' accuracy");
    }

    private static bool TaskDataPresent(string taskFile)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(taskFile), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.TryGetProperty("data", out var data) && data.GetString() is { } file
                && File.Exists(Path.Combine(Path.GetDirectoryName(taskFile)!, file));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// A deterministic arithmetic word-problem task in GSM8K's answer format ("#### n"), written as a user task file and
    /// its data: the stand-in for the generated gsm-arith task.
    /// </summary>
    internal static string WriteGeneratedTask(string directory)
    {
        Directory.CreateDirectory(directory);
        string[] names = ["Tom", "Ann", "Sam", "Mia", "Ben", "Lily"];
        string[] items = ["apples", "pens", "cards", "books", "eggs", "marbles"];
        var random = new Random(7);
        var lines = new List<string>();
        for (var i = 0; i < Problems; i++)
        {
            var (name, item) = (names[random.Next(names.Length)], items[random.Next(items.Length)]);
            var (start, more) = (random.Next(2, 40), random.Next(2, 25));
            var question = $"{name} has {start} {item}. Then {name} buys {more} more. How many {item} does {name} have now?";
            lines.Add(JsonSerializer.Serialize(new { id = $"a{i}", question, final = (start + more).ToString(CultureInfo.InvariantCulture) }));
        }
        File.WriteAllLines(Path.Combine(directory, "data.jsonl"), lines);
        var task = Path.Combine(directory, "task.json");
        File.WriteAllText(task, """
            {
              "name": "arith-demo",
              "description": "Generated one-step arithmetic word problems in GSM8K's answer format (stand-in for gsm-arith)",
              "data": "data.jsonl",
              "prompt": "{question}",
              "reference": "final",
              "extractor": "gsm8k-strict",
              "id": "id",
              "maxTokens": 48
            }
            """);
        return task;
    }
}
