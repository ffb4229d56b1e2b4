using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Tests.Support;

namespace Slingshot.Evaluation.Tests.Benchmarks;

public sealed class Math500TaskTests
{
    private readonly Math500Task _task = new(TestPaths.Datasets);

    [Fact]
    public void LoadProblems_TestSet_Has500WithUniqueIds()
    {
        var problems = _task.LoadProblems();

        Assert.Equal(500, problems.Count);
        Assert.Equal("test/precalculus/807.json", problems[0].Id);
        Assert.Equal(500, problems.Select(p => p.Id).Distinct().Count());
        Assert.All(problems, p => Assert.Contains("\\boxed{}", Assert.Single(p.Messages).Text, StringComparison.Ordinal));
        Assert.Equal("Precalculus", problems[0].Metadata["subject"]);
    }

    [Fact]
    public async Task GradeAsync_BoxedReference_IsCorrectForEveryProblem()
    {
        foreach (var problem in _task.LoadProblems())
        {
            var grade = await _task.GradeAsync(problem, $"Working it out, we get $\\boxed{{{problem.Reference}}}$.");
            Assert.True(grade.Correct, $"{problem.Id}: {grade.Reason}");
        }
    }

    [Fact]
    public async Task GradeAsync_PublishedSolution_IsCorrectForEveryProblem()
    {
        var solutions = File.ReadLines(Path.Combine(TestPaths.Datasets, "math500", "test.jsonl"))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("solution").GetString()!)
            .ToArray();
        var problems = _task.LoadProblems();
        var disagreements = new List<string>();
        for (var i = 0; i < problems.Count; i++)
        {
            var grade = await _task.GradeAsync(problems[i], solutions[i]);
            if (!grade.Correct)
            {
                disagreements.Add($"{problems[i].Id}: {grade.Reason}");
            }
        }
        // The solution's own last box, normalized, must equal the normalized answer field.
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    [Fact]
    public async Task GradeAsync_WrongOrMissingBox_IsWrong()
    {
        var problem = _task.LoadProblems()[0]; // answer \left( 3, \frac{\pi}{2} \right)

        var equivalent = await _task.GradeAsync(problem, "$\\boxed{(3, \\dfrac{\\pi}{2})}$");
        var wrong = await _task.GradeAsync(problem, "$\\boxed{(3, \\pi)}$");
        var missing = await _task.GradeAsync(problem, "(3, pi/2)");

        Assert.True(equivalent.Correct, equivalent.Reason);
        Assert.False(wrong.Correct);
        Assert.False(missing.Correct);
        Assert.Null(missing.Answer);
    }
}
