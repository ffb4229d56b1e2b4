using Slingshot.Strategies.Sandbox;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// Grading for code tasks: the assembled program passes when it exits with status 0 within the limits and
/// ran to its end, past the tests (see <see cref="CompletionCheckedProgram"/>); exit status 0 from code that
/// ended the process before the tests ran is a failure, as in the official HumanEval harness.
/// </summary>
internal static class CodeGrading
{
    private const int ReasonLength = 160;

    /// <summary>Runs <paramref name="program"/> in <paramref name="sandbox"/> and grades its outcome.</summary>
    public static async ValueTask<Grade> GradeAsync(ICodeSandbox? sandbox, string taskName, string program,
        CancellationToken cancellationToken)
    {
        if (sandbox is null)
        {
            throw new SlingshotException(
                $"Benchmark '{taskName}' grades by running code, but no code sandbox was given (BenchmarkEnvironment.Sandbox).");
        }
        var checkedProgram = CompletionCheckedProgram.Create(program);
        var result = await sandbox.RunPythonAsync(checkedProgram.Text, SandboxLimits.Default, stdin: null, cancellationToken)
            .ConfigureAwait(false);
        return new Grade(null, checkedProgram.Passed(result), Reason(result, checkedProgram.RanToEnd(result)));
    }

    /// <summary>
    /// One line saying how the program ended: "passed", "exited before the tests finished", "timed out",
    /// "exit status 1: AssertionError".
    /// </summary>
    /// <param name="result">How the run ended.</param>
    /// <param name="ranToEnd">Whether it reached its last line, past the tests.</param>
    internal static string Reason(SandboxResult result, bool ranToEnd)
    {
        if (result.Succeeded)
        {
            return ranToEnd ? "passed" : CompletionCheckedProgram.EarlyExitReason;
        }
        if (result.TimedOut)
        {
            return "timed out";
        }
        if (result.OutputLimitExceeded)
        {
            return "output limit exceeded";
        }
        var status = result.ExitCode is { } code ? $"exit status {code}" : "killed";
        var tail = LastLine(result.Stderr);
        return tail.Length == 0 ? status : $"{status}: {tail}";
    }

    private static string LastLine(string text)
    {
        var line = text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "";
        return line.Length <= ReasonLength ? line : line[..(ReasonLength - 3)] + "...";
    }
}
