using Slingshot.Evaluation.Benchmarks;

namespace Slingshot.Evaluation.Routing;

/// <summary>
/// The public RouteLLM benchmark responses (lm-sys/RouteLLM, routellm/evals): one CSV per MMLU subject with the
/// prompt and, per model, whether it answered correctly. The weak model is Mixtral-8x7B-Instruct, the strong one
/// GPT-4-1106-preview.
/// </summary>
public static class RouteLlmData
{
    /// <summary>Column of the weak model's correctness.</summary>
    public const string WeakColumn = "mistralai/Mixtral-8x7B-Instruct-v0.1";

    /// <summary>Column of the strong model's correctness.</summary>
    public const string StrongColumn = "gpt-4-1106-preview";

    /// <summary>
    /// Reads every <c>*.csv</c> in <paramref name="directory"/> (for example <c>routing/routellm/mmlu/responses</c>), in
    /// file-name order; ids are "file-name/row". A missing directory or column is one <see cref="SlingshotException"/>.
    /// </summary>
    public static IReadOnlyList<RoutingExample> Load(string directory, string weakColumn = WeakColumn, string strongColumn = StrongColumn)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new SlingshotException($"RouteLLM responses not found: {directory} (expected a folder of CSV files such as routing/routellm/mmlu/responses).");
        }
        var files = Directory.GetFiles(directory, "*.csv").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new SlingshotException($"No CSV files in {directory}.");
        }
        var examples = new List<RoutingExample>();
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var rows = CsvTable.Read(file);
            for (var r = 0; r < rows.Count; r++)
            {
                var row = rows[r];
                examples.Add(new RoutingExample($"{name}/{r}", Column(row, "prompt", file), Flag(row, weakColumn, file, r), Flag(row, strongColumn, file, r)));
            }
        }
        return examples;
    }

    private static string Column(IReadOnlyDictionary<string, string> row, string column, string file) =>
        row.TryGetValue(column, out var value) ? value : throw new SlingshotException($"{file} has no column '{column}'.");

    private static bool Flag(IReadOnlyDictionary<string, string> row, string column, string file, int index) =>
        Column(row, column, file) switch
        {
            "True" or "true" or "1" or "1.0" => true,
            "False" or "false" or "0" or "0.0" => false,
            var other => throw new SlingshotException($"{file} row {index + 1}: '{column}' is '{other}', not True/False."),
        };
}
