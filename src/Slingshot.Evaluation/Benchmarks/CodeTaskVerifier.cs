using Slingshot.Strategies.Sandbox;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>The verifier of a code benchmark: the unit-test verifier over its sandbox, or, without one, a verifier that says so when asked to grade.</summary>
internal static class CodeTaskVerifier
{
    /// <summary>
    /// <see cref="UnitTestVerifier"/> over <paramref name="sandbox"/> with the default limits; without a sandbox the task
    /// still loads (to list it, to draw samples) and grading is a one-line error naming <paramref name="taskName"/>.
    /// </summary>
    public static IVerifier Create(ICodeSandbox? sandbox, string taskName) =>
        sandbox is null ? new NoSandbox(taskName) : new UnitTestVerifier(sandbox, SandboxLimits.Default);

    private sealed class NoSandbox(string taskName) : IVerifier
    {
        public string Name => "unit-tests";

        public ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default) =>
            throw new SlingshotException(
                $"Benchmark '{taskName}' grades by running code, but no code sandbox was given (BenchmarkEnvironment.Sandbox).");
    }
}
