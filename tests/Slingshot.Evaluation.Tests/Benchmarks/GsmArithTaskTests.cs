using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Tests.Support;

namespace Slingshot.Evaluation.Tests.Benchmarks;

/// <summary>
/// The committed gsm-arith task (models/gsm-arith, written by bench/specialize/generate_task.py): its task files
/// load through the registry like any user task, every reference solution passes the task's reference-match
/// grading, its calculator steps are right, and the splits share no problem.
/// </summary>
public sealed partial class GsmArithTaskTests
{
    private static readonly string Folder = Path.Combine(TestPaths.RepoRoot, "models", "gsm-arith");

    [Theory]
    [InlineData("task.json", "gsm-arith", 500)]
    [InlineData("dev.json", "gsm-arith-dev", 300)]
    [InlineData("train.json", "gsm-arith-train", 2000)]
    public async Task Resolve_CommittedSplit_ReferenceSolutionsPassAndWrongAnswersFail(string file, string name, int count)
    {
        var task = new BenchmarkRegistry(new BenchmarkEnvironment(TestPaths.Datasets)).Resolve(Path.Combine(Folder, file));
        var problems = task.LoadProblems();
        var solutions = Records(file).Select(r => r.GetProperty("answer").GetString()!).ToList();

        Assert.Equal(name, task.Name);
        Assert.Equal("gsm8k-strict", task.Extractor?.Name);
        Assert.Equal(count, problems.Count);
        foreach (var i in new[] { 0, 1, count / 2, count - 1 })
        {
            Assert.True((await task.GradeAsync(problems[i], solutions[i])).Correct, problems[i].Id);
            var wrong = solutions[i][..solutions[i].LastIndexOf("#### ", StringComparison.Ordinal)] + "#### 1000";
            Assert.False((await task.GradeAsync(problems[i], wrong)).Correct, problems[i].Id);
        }
    }

    [Fact]
    public void Splits_EveryProblem_MultiStepWithCorrectCalculatorSteps()
    {
        foreach (var file in new[] { "task.json", "dev.json", "train.json" })
        {
            foreach (var record in Records(file))
            {
                var solution = record.GetProperty("answer").GetString()!;
                var steps = CalculatorStep().Matches(solution);
                Assert.True(steps.Count >= 2, solution);
                foreach (Match step in steps)
                {
                    var (a, op, b, c) = (Number(step, 1), step.Groups[2].Value, Number(step, 3), Number(step, 4));
                    Assert.Equal(op switch { "+" => a + b, "-" => a - b, "*" => a * b, _ => a / b }, c);
                }
                Assert.EndsWith($"#### {record.GetProperty("final").GetInt32()}", solution, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Splits_Disjoint()
    {
        var test = Questions("task.json");
        var dev = Questions("dev.json");
        var train = Questions("train.json");

        Assert.Empty(test.Intersect(dev));
        Assert.Empty(test.Intersect(train));
        Assert.Empty(dev.Intersect(train));
        Assert.Equal(500 + 300 + 2000, test.Count + dev.Count + train.Count);
    }

    private static HashSet<string> Questions(string taskFile) =>
        Records(taskFile).Select(r => r.GetProperty("question").GetString()!).ToHashSet(StringComparer.Ordinal);

    /// <summary>The records of a task file's data file, with the fields the prompt does not show (answer, final).</summary>
    private static IEnumerable<JsonElement> Records(string taskFile)
    {
        using var definition = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, taskFile)), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var data = Path.Combine(Folder, definition.RootElement.GetProperty("data").GetString()!);
        return File.ReadLines(data).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    private static int Number(Match match, int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"<<(\d+)([-+*/])(\d+)=(\d+)>>\4")]
    private static partial Regex CalculatorStep();
}
