using System.Text.Json;
using Microsoft.Extensions.AI;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Tests.Support;

namespace Slingshot.Evaluation.Tests.Benchmarks;

public sealed class Gsm8kTaskTests
{
    private static readonly string[] AnswerFields = File.ReadLines(Path.Combine(TestPaths.Datasets, "gsm8k", "test.jsonl"))
        .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("answer").GetString()!)
        .ToArray();

    [Fact]
    public void LoadProblems_TestSplit_Has1319WithStableIds()
    {
        var problems = new Gsm8kTask(TestPaths.Datasets).LoadProblems();

        Assert.Equal(1319, problems.Count);
        Assert.Equal("gsm8k/0", problems[0].Id);
        Assert.Equal("gsm8k/1318", problems[^1].Id);
        Assert.Equal("18", problems[0].Reference);
        Assert.Equal(problems.Select(p => p.Id), new Gsm8kTask(TestPaths.Datasets).LoadProblems().Select(p => p.Id));
    }

    [Fact]
    public void LoadProblems_ZeroShot_AsksForTheAnswerSentence()
    {
        var problem = new Gsm8kTask(TestPaths.Datasets).LoadProblems()[0];

        var message = Assert.Single(problem.Messages);
        Assert.Equal(ChatRole.User, message.Role);
        Assert.StartsWith("Janet", message.Text, StringComparison.Ordinal);
        Assert.Contains("The answer is N.", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadProblems_ChainOfThought_HasEightExemplarTurns()
    {
        var problem = new Gsm8kCotTask(TestPaths.Datasets).LoadProblems()[0];

        Assert.Equal(17, problem.Messages.Count);
        var answers = problem.Messages.Where(m => m.Role == ChatRole.Assistant).ToList();
        Assert.Equal(8, answers.Count);
        Assert.All(answers, a => Assert.Matches(@"The answer is \d+\.$", a.Text));
        Assert.StartsWith("Q: There are 15 trees in the grove.", problem.Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(ChatRole.User, problem.Messages[^1].Role);
        Assert.StartsWith("Q: Janet", problem.Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GradeAsync_DatasetAnswerField_IsCorrectForEveryProblemStrictAndFlexible()
    {
        IBenchmarkTask[] tasks = [new Gsm8kCotTask(TestPaths.Datasets), new Gsm8kTask(TestPaths.Datasets)];
        foreach (var task in tasks)
        {
            var problems = task.LoadProblems();
            Assert.Equal(AnswerFields.Length, problems.Count);
            for (var i = 0; i < problems.Count; i++)
            {
                var grade = await task.GradeAsync(problems[i], AnswerFields[i]);
                Assert.True(grade.Correct, $"{task.Name} {problems[i].Id}: {grade.Reason}");
            }
        }
    }

    [Fact]
    public async Task GradeAsync_ChainOfThoughtStatement_IsReadStrictly()
    {
        var task = new Gsm8kCotTask(TestPaths.Datasets);
        var problem = task.LoadProblems()[0];

        var right = await task.GradeAsync(problem, "She sells 9 eggs for $2 each, 9 * 2 = 18. The answer is 18.");
        var wrong = await task.GradeAsync(problem, "The answer is 17.");
        var unstated = await task.GradeAsync(problem, "She makes 18 dollars.");

        Assert.True(right.Correct);
        Assert.Equal("18", right.Answer);
        Assert.False(wrong.Correct);
        Assert.Equal("expected 18, got 17", wrong.Reason);
        Assert.False(unstated.Correct);
        Assert.Null(unstated.Answer);
    }

    [Fact]
    public async Task GradeAsync_ZeroShot_UsesTheLastNumber()
    {
        var task = new Gsm8kTask(TestPaths.Datasets);
        var problem = task.LoadProblems()[0];

        var grade = await task.GradeAsync(problem, "16 - 3 - 4 = 9 eggs, at $2 each she makes $18 per day.");
        var stated = await task.GradeAsync(problem, "She makes 9 * 2 = 18 dollars. The answer is 18.");

        Assert.True(grade.Correct, grade.Reason);
        Assert.True(stated.Correct, stated.Reason);
        Assert.Equal("18", stated.Answer);
    }

    [Fact]
    public async Task GradeAsync_DecimalSpelling_IsNotRewrittenAsLmEvaluationHarnessDoesNot()
    {
        var task = new Gsm8kTask(TestPaths.Datasets);
        var problem = task.LoadProblems()[0];

        var grade = await task.GradeAsync(problem, "At $2 each she makes $18.00 per day.");

        Assert.False(grade.Correct);
        Assert.Equal("expected 18, got 18.00", grade.Reason);
    }

    [Fact]
    public void Version_Recorded()
    {
        Assert.Equal("gsm8k@1", new Gsm8kTask(TestPaths.Datasets).Version);
        Assert.Equal("gsm8k-cot@1", new Gsm8kCotTask(TestPaths.Datasets).Version);
        Assert.Contains("\n\nQ:", new Gsm8kCotTask(TestPaths.Datasets).DefaultOptions.StopSequences!);
    }
}
