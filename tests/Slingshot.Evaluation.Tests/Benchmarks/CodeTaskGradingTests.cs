using System.IO.Compression;
using System.Text.Json;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Tests.Support;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Evaluation.Tests.Benchmarks;

/// <summary>Code tasks graded end to end: the task builds the program, the bubblewrap sandbox runs it.</summary>
public sealed class CodeTaskGradingTests
{
    [SandboxFact]
    public async Task HumanEval_EveryCanonicalSolutionPasses_AndTheEmptyBodyFails()
    {
        var task = new HumanEvalTask(TestPaths.Datasets, new BubblewrapSandbox());
        var problems = task.LoadProblems().ToDictionary(p => p.Id);
        var canonical = ReadHumanEval().ToList();
        Assert.Equal(164, canonical.Count);

        var failures = new List<string>();
        await Parallel.ForEachAsync(canonical, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (entry, ct) =>
        {
            var problem = problems[entry.TaskId];
            var grade = await task.GradeAsync(problem, entry.Solution, ct);
            var empty = await task.GradeAsync(problem, "    pass\n", ct);
            if (!grade.Correct || empty.Correct)
            {
                lock (failures)
                {
                    failures.Add($"{entry.TaskId}: canonical {grade.Reason}; empty body {empty.Reason}");
                }
            }
        });
        Assert.Empty(failures);
    }

    [SandboxFact]
    public async Task HumanEval_WholeFunctionInAFencedBlock_IsGradedLikeABareBody()
    {
        var task = new HumanEvalTask(TestPaths.Datasets, new BubblewrapSandbox());
        var problem = task.LoadProblems()[0];
        var entry = ReadHumanEval().First();
        var signature = problem.Prelude!.Split('\n').First(l => l.StartsWith("def ", StringComparison.Ordinal));
        var reply = $"Here is the function:\n```python\nfrom typing import List\n\n{signature}\n{entry.Solution}```\nIt compares every pair.";

        Assert.True((await task.GradeAsync(problem, reply)).Correct);
        Assert.False((await task.GradeAsync(problem, "```python\n" + signature + "\n    return False\n```")).Correct);
    }

    [SandboxFact]
    public async Task HumanEval_FencedBlockIndentedUnderAListItem_IsGradedAsItsCode()
    {
        var task = new HumanEvalTask(TestPaths.Datasets, new BubblewrapSandbox());
        var problem = task.LoadProblems()[0];
        var entry = ReadHumanEval().First();
        var signature = problem.Prelude!.Split('\n').First(l => l.StartsWith("def ", StringComparison.Ordinal));
        var function = $"{signature}\n{entry.Solution}";
        var indented = string.Join("\n", function.Split('\n').Select(line => line.Length == 0 ? line : "   " + line));
        var reply = $"1. The function:\n   ```python\n{indented}\n   ```\n2. It compares every pair.";

        var grade = await task.GradeAsync(problem, reply);

        Assert.True(grade.Correct, grade.Reason);
    }

    [SandboxFact]
    public async Task HumanEval_WrongCodeThatExitsBeforeTheTests_Fails()
    {
        var task = new HumanEvalTask(TestPaths.Datasets, new BubblewrapSandbox());
        var problem = task.LoadProblems()[0];
        var signature = problem.Prelude!.Split('\n').First(l => l.StartsWith("def ", StringComparison.Ordinal));
        string[] samples =
        [
            "    return False\nimport sys\nsys.exit(0)\n",
            "    return False\nimport os\nos._exit(0)\n",
            $"```python\n{signature}\n    return False\n\nif __name__ == \"__main__\":\n    import sys\n    sys.exit()\n```",
            $"```python\n{signature}\n    return False\n\nif __name__ == \"__main__\":\n    import unittest\n    unittest.main()\n```",
        ];

        foreach (var sample in samples)
        {
            var grade = await task.GradeAsync(problem, sample);

            Assert.False(grade.Correct, sample);
        }
        Assert.Equal("exited before the tests finished", (await task.GradeAsync(problem, samples[0])).Reason);
    }

    [SandboxFact]
    public async Task Mbpp_WrongCodeThatExitsBeforeTheAsserts_Fails()
    {
        var task = MbppTask.Full(TestPaths.Datasets, new BubblewrapSandbox());
        var problem = task.LoadProblems()[0];

        var grade = await task.GradeAsync(problem, "```python\ndef remove_Occ(s, ch):\n    return s\nimport sys\nsys.exit(0)\n```");

        Assert.False(grade.Correct);
        Assert.Equal("exited before the tests finished", grade.Reason);
    }

    [SandboxFact]
    public async Task Mbpp_ReferenceCodeOfTheFirstTestProblems_Passes()
    {
        var task = MbppTask.Full(TestPaths.Datasets, new BubblewrapSandbox());
        var problems = task.LoadProblems().Take(40).ToList();
        var code = File.ReadLines(Path.Combine(TestPaths.Datasets, "mbpp", "mbpp.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => $"mbpp/{e.GetProperty("task_id").GetInt32()}", e => e.GetProperty("code").GetString()!);

        foreach (var problem in problems)
        {
            var grade = await task.GradeAsync(problem, "```python\n" + code[problem.Id] + "\n```");
            Assert.True(grade.Correct, $"{problem.Id}: {grade.Reason}");
        }
        Assert.False((await task.GradeAsync(problems[0], "def nothing():\n    pass")).Correct);
    }

    private static IEnumerable<(string TaskId, string Solution)> ReadHumanEval()
    {
        using var file = File.OpenRead(Path.Combine(TestPaths.Datasets, "humaneval", "HumanEval.jsonl.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var entries = new List<(string, string)>();
        while (reader.ReadLine() is { } line)
        {
            var e = JsonDocument.Parse(line).RootElement;
            entries.Add((e.GetProperty("task_id").GetString()!, e.GetProperty("canonical_solution").GetString()!));
        }
        return entries;
    }
}
