using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// How every benchmark grades a sample: the task's extractor (when it has one) takes the answer, and the task's
/// <see cref="IBenchmarkTask.Verifier"/> judges the sample against the problem's
/// <see cref="Problem.VerificationContext"/>. These are the steps <c>UseVerifier(task.Verifier, ...)</c> takes
/// for each sample it serves, with the same extractor and context, so an offline grade and an online verdict
/// of the same text agree by construction.
/// </summary>
public static class BenchmarkGrading
{
    /// <summary>Grades one sample of <paramref name="problem"/> with <paramref name="task"/>'s extractor and verifier.</summary>
    /// <param name="task">The benchmark.</param>
    /// <param name="problem">One of its problems.</param>
    /// <param name="sampleText">The sample's full text.</param>
    /// <param name="cancellationToken">Stops a verifier that runs code.</param>
    public static async ValueTask<Grade> GradeAsync(this IBenchmarkTask task, Problem problem, string sampleText,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(sampleText);
        var answer = task.Extractor?.Extract(sampleText);
        var verdict = await task.Verifier.VerifyAsync(sampleText, problem.VerificationContext.WithAnswer(answer), cancellationToken)
            .ConfigureAwait(false);
        return new Grade(answer, verdict.Passed, verdict.Reason);
    }
}
