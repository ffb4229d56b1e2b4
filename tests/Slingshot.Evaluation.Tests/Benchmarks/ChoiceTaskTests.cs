using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Tests.Support;

namespace Slingshot.Evaluation.Tests.Benchmarks;

public sealed class ChoiceTaskTests
{
    public static TheoryData<string, int> Counts => new()
    {
        { "arc-challenge", 1172 },
        { "arc-easy", 2376 },
        { "boolq", 3270 },
        { "mmlu", 14042 },
        { "bbh", 6511 },
    };

    private static readonly BenchmarkRegistry Registry = new(new BenchmarkEnvironment(TestPaths.Datasets));

    [Theory]
    [MemberData(nameof(Counts))]
    public void LoadProblems_FullSet_HasPublishedCountAndUniqueIds(string name, int expected)
    {
        var problems = Registry.Resolve(name).LoadProblems();

        Assert.Equal(expected, problems.Count);
        Assert.Equal(expected, problems.Select(p => p.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public async Task GradeAsync_AnswerSentenceWithReference_IsCorrectForEveryProblem(string name, int expected)
    {
        var task = Registry.Resolve(name);
        var problems = task.LoadProblems();
        Assert.Equal(expected, problems.Count);
        foreach (var problem in problems)
        {
            var grade = await task.GradeAsync(problem, $"Let me think about it.\nThe answer is {problem.Reference}.");
            Assert.True(grade.Correct, $"{problem.Id} ({problem.Reference}): {grade.Reason}");
        }
    }

    [Fact]
    public async Task Arc_NumericAnswerKey_ShownAsLettersAndGradedAsLetter()
    {
        var task = Registry.Resolve("arc-easy");
        var problem = task.LoadProblems().First(p => p.Reference == "2");
        var prompt = Assert.Single(problem.Messages).Text;

        Assert.Contains("\nA. ", prompt, StringComparison.Ordinal);
        Assert.Contains("\nB. ", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("\n1. ", prompt, StringComparison.Ordinal);
        Assert.True((await task.GradeAsync(problem, "The answer is (B).")).Correct);
        Assert.False((await task.GradeAsync(problem, "The answer is (A).")).Correct);
    }

    [Fact]
    public async Task Mmlu_Subject_LoadsOneFileWithLetterReferences()
    {
        var task = Registry.Resolve("mmlu:anatomy");
        var problems = task.LoadProblems();

        Assert.Equal("mmlu:anatomy", task.Name);
        Assert.Equal(135, problems.Count);
        Assert.Equal("mmlu/anatomy/0", problems[0].Id);
        Assert.Equal("A", problems[0].Reference);
        var prompt = Assert.Single(problems[0].Messages).Text;
        Assert.StartsWith("The following is a multiple choice question about anatomy.", prompt, StringComparison.Ordinal);
        Assert.Contains("\nD. paralysis of the facial muscles, loss of taste, lacrimation and decreased salivation.", prompt, StringComparison.Ordinal);
        Assert.True((await task.GradeAsync(problems[0], "A")).Correct);
        Assert.False((await task.GradeAsync(problems[0], "The answer is (C).")).Correct);
    }

    [Fact]
    public async Task Boolq_TrueFalseReference_GradedAsYesNo()
    {
        var task = Registry.Resolve("boolq");
        var problem = task.LoadProblems().First(p => p.Reference == "false");

        Assert.StartsWith("Passage: ", Assert.Single(problem.Messages).Text, StringComparison.Ordinal);
        Assert.True((await task.GradeAsync(problem, "No, it does not.")).Correct);
        var wrong = await task.GradeAsync(problem, "Yes.");
        Assert.False(wrong.Correct);
        Assert.Equal("expected no, got yes", wrong.Reason);
    }

    [Fact]
    public async Task Bbh_Task_UsesTargetAsReference()
    {
        var task = Registry.Resolve("bbh:navigate");
        var problems = task.LoadProblems();

        Assert.Equal(250, problems.Count);
        Assert.Equal("bbh/navigate/0", problems[0].Id);
        Assert.Equal("No", problems[0].Reference);
        Assert.Contains("So the answer is", Assert.Single(problems[0].Messages).Text, StringComparison.Ordinal);
        Assert.True((await task.GradeAsync(problems[0], "Net displacement is not zero. So the answer is no.")).Correct);
        Assert.False((await task.GradeAsync(problems[0], "So the answer is Yes.")).Correct);
    }

    [Fact]
    public async Task Bbh_MultipleChoiceTarget_AcceptsOptionWithText()
    {
        var task = Registry.Resolve("bbh:date_understanding");
        var problem = task.LoadProblems().First(p => p.Reference == "(B)");

        Assert.True((await task.GradeAsync(problem, "So the answer is (B) 12/11/1937.")).Correct);
        Assert.False((await task.GradeAsync(problem, "So the answer is (C).")).Correct);
    }
}
