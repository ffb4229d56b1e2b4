using Microsoft.Extensions.AI;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Tests.Support;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Tests.Benchmarks;

public sealed class CodeTaskTests
{
    [Fact]
    public void HumanEval_LoadProblems_Has164WithPromptAndTests()
    {
        var task = new HumanEvalTask(TestPaths.Datasets, sandbox: null);
        var problems = task.LoadProblems();

        Assert.Equal(164, problems.Count);
        Assert.Equal("HumanEval/0", problems[0].Id);
        Assert.Equal("HumanEval/163", problems[^1].Id);
        Assert.Null(task.Extractor);
        var problem = problems[0];
        Assert.Equal("has_close_elements", problem.Metadata["entry_point"]);
        Assert.StartsWith("from typing import List", problem.Prelude, StringComparison.Ordinal);
        Assert.EndsWith("\ncheck(has_close_elements)", problem.Tests, StringComparison.Ordinal);
        Assert.Contains("```python\nfrom typing import List", Assert.Single(problem.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void HumanEval_BuildProgram_BareCompletion_FollowsThePrompt()
    {
        var problem = new HumanEvalTask(TestPaths.Datasets, null).LoadProblems()[0];

        var program = UnitTestVerifier.BuildProgram(problem.Reference!, problem.VerificationContext);

        Assert.Equal(problem.Prelude + problem.Reference, program.Code);
        Assert.Equal(problem.Tests, program.Tests);
        Assert.Contains("def check(candidate):", program.Tests, StringComparison.Ordinal);
        Assert.Equal(["has_close_elements"], program.Subjects);
    }

    [Fact]
    public void HumanEval_BuildProgram_WholeFunction_KeepsOnlyWhatPrecedesTheSignature()
    {
        var problem = new HumanEvalTask(TestPaths.Datasets, null).LoadProblems()[0];
        const string Code = "def has_close_elements(numbers, threshold):\n    return False";

        var program = UnitTestVerifier.BuildProgram(Code, problem.VerificationContext);

        Assert.Equal("from typing import List\n\n\n" + Code, program.Code);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(program.Code, "def has_close_elements\\("));
        Assert.EndsWith("check(has_close_elements)", program.Tests, StringComparison.Ordinal);
    }

    [Fact]
    public void HumanEval_BuildProgram_WholeFunction_KeepsHelpersThePromptDefines()
    {
        var problem = new HumanEvalTask(TestPaths.Datasets, null).LoadProblems().Single(p => p.Id == "HumanEval/10");
        const string Code = "def make_palindrome(string: str) -> str:\n    return string";

        var program = UnitTestVerifier.BuildProgram(Code, problem.VerificationContext);

        Assert.Contains("def is_palindrome(", program.Code, StringComparison.Ordinal);
        Assert.EndsWith(Code, program.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void Mbpp_LoadProblems_TestSplitIs500ThreeShot()
    {
        var problems = MbppTask.Full(TestPaths.Datasets, null).LoadProblems();

        Assert.Equal(500, problems.Count);
        Assert.Equal("mbpp/11", problems[0].Id);
        Assert.Equal("mbpp/510", problems[^1].Id);
        var messages = problems[0].Messages;
        Assert.Equal(7, messages.Count);
        Assert.Equal(3, messages.Count(m => m.Role == ChatRole.Assistant));
        Assert.Contains("similar elements", messages[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("```python\ndef similar_elements", messages[1].Text, StringComparison.Ordinal);
        Assert.Contains("Your code should pass these tests:\n\nassert", messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Mbpp_BuildProgram_CodeApartFromSetupAndAsserts()
    {
        var problem = MbppTask.Full(TestPaths.Datasets, null).LoadProblems()[0];

        var program = UnitTestVerifier.BuildProgram("def remove_Occ(s, ch):\n    return s", problem.VerificationContext);

        Assert.Equal("def remove_Occ(s, ch):\n    return s", program.Code);
        Assert.Equal(3, program.Tests.Split('\n').Count(line => line.StartsWith("assert ", StringComparison.Ordinal)));
        Assert.Equal(["remove_Occ"], program.Subjects);
    }

    [Fact]
    public void Mbpp_LoadProblems_FunctionNamedLikeABuiltin_IsTheSubject()
    {
        var problem = MbppTask.Full(TestPaths.Datasets, null).LoadProblems().Single(p => p.Id == "mbpp/126");

        Assert.Equal(["sum"], UnitTestVerifier.BuildProgram("def sum(a, b):\n    return 0", problem.VerificationContext).Subjects);
    }

    [Fact]
    public void MbppSanitized_LoadProblems_TestSplitIs257WithImports()
    {
        var problems = MbppTask.Sanitized(TestPaths.Datasets, null).LoadProblems();

        Assert.Equal(257, problems.Count);
        Assert.All(problems, p => Assert.InRange(int.Parse(p.Id["mbpp/".Length..], System.Globalization.CultureInfo.InvariantCulture), 11, 510));
        Assert.Contains(problems, p => p.Tests!.StartsWith("import ", StringComparison.Ordinal));
        Assert.Equal("mbpp-sanitized@2", MbppTask.Sanitized(TestPaths.Datasets, null).Version);
    }

    [Fact]
    public async Task GradeAsync_NoSandbox_ThrowsNamingTheTask()
    {
        var task = new HumanEvalTask(TestPaths.Datasets, null);
        var problem = task.LoadProblems()[0];

        var error = await Assert.ThrowsAsync<SlingshotException>(() => task.GradeAsync(problem, "```python\npass\n```").AsTask());
        Assert.Contains("humaneval", error.Message, StringComparison.Ordinal);
        Assert.Contains("sandbox", error.Message, StringComparison.Ordinal);
    }
}
