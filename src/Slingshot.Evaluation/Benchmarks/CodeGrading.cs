using Slingshot.Strategies.Sandbox;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// Grading for code tasks: the code and its tests run in separate processes (see
/// <see cref="IsolatedTestProgram"/>), and the sample passes when the tests ran to their end with exit
/// status 0 within the limits; code that ends the process before the tests finished fails, as in the
/// official HumanEval harness, and so does code that tries to fake the verdict.
/// </summary>
internal static class CodeGrading
{
    private const int ReasonLength = 160;

    /// <summary>Runs <paramref name="program"/> in <paramref name="sandbox"/> and grades its outcome.</summary>
    public static async ValueTask<Grade> GradeAsync(ICodeSandbox? sandbox, string taskName, IsolatedTestProgram program,
        CancellationToken cancellationToken)
    {
        if (sandbox is null)
        {
            throw new SlingshotException(
                $"Benchmark '{taskName}' grades by running code, but no code sandbox was given (BenchmarkEnvironment.Sandbox).");
        }
        var result = await program.RunAsync(sandbox, SandboxLimits.Default, cancellationToken).ConfigureAwait(false);
        return new Grade(null, IsolatedTestProgram.Passed(result), Reason(result));
    }

    /// <summary>
    /// One line saying how the program ended: "passed", "exited before the tests finished", "timed out",
    /// "exit status 1: AssertionError".
    /// </summary>
    /// <param name="result">How the run ended.</param>
    internal static string Reason(SandboxResult result)
    {
        if (result.Succeeded)
        {
            return "passed";
        }
        if (IsolatedTestProgram.EndedEarly(result))
        {
            return IsolatedTestProgram.EarlyExitReason;
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
