using System.Text.Json;

namespace Slingshot.Testing;

/// <summary>
/// One labelled sample of a real benchmark problem, written the way models write them (statements, boxes, letters;
/// code bare, fenced, fenced inside a list item, unclosed), from <c>tests/Shared/grading-samples.jsonl</c>.
/// The file is the common ground of the tests that prove offline grading, <c>UseVerifier</c> and <c>slingshot grade</c>
/// agree: each of them must reach the labelled verdict and answer.
/// </summary>
/// <param name="Task">The benchmark's registry name.</param>
/// <param name="ProblemId">The problem's id in that benchmark.</param>
/// <param name="Kind">What shape the sample has and whether it is right, for failure messages.</param>
/// <param name="Text">The sample.</param>
/// <param name="Correct">The right verdict.</param>
/// <param name="Answer">The canonical answer the task's extractor takes; null for code and for samples without one.</param>
internal sealed record GradingSample(string Task, string ProblemId, string Kind, string Text, bool Correct, string? Answer)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string FilePath => Path.Combine(TestPaths.RepoRoot, "tests", "Shared", "grading-samples.jsonl");

    public static IReadOnlyList<GradingSample> Load() => File.ReadLines(FilePath)
        .Where(line => line.Length > 0)
        .Select(line => JsonSerializer.Deserialize<GradingSample>(line, Options)
            ?? throw new InvalidDataException($"{FilePath}: a line is not a sample."))
        .ToList();

    public override string ToString() => $"{Task} {ProblemId} ({Kind})";
}
