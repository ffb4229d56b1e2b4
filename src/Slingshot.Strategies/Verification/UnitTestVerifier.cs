using System.Globalization;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Verification;

/// <summary>
/// Passes a code sample when its tests run to their end inside a sandbox. The code under test is
/// <see cref="VerificationContext.Prelude"/> + the sample's code, where the code is the sample's first fenced
/// <c>python</c> (or unlabelled) block, or the whole text when it has none; <see cref="VerificationContext.Tests"/>
/// run in a separate process that sees the code's names (see <see cref="IsolatedTestProgram"/>). This is
/// HumanEval's and MBPP's grading: correct means the tests finished, with exit status 0, within the limits;
/// code that ends the process before the tests finish, or that tries to fake the verdict, fails.
/// </summary>
/// <remarks>
/// The tests may end their process themselves (<c>unittest.main()</c> exits with 0 only when every test
/// passed). Values the tests pass to the code must be plain data, objects of the code's own classes, or
/// instances of classes both sides can import (a function the tests define cannot cross).
/// </remarks>
public sealed class UnitTestVerifier : IVerifier
{
    private readonly ICodeSandbox sandbox;
    private readonly SandboxLimits limits;

    /// <summary>Creates the verifier.</summary>
    /// <param name="sandbox">Where the untrusted program runs.</param>
    /// <param name="limits">Limits for each run; <see cref="SandboxLimits.Default"/> when null.</param>
    public UnitTestVerifier(ICodeSandbox sandbox, SandboxLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        this.sandbox = sandbox;
        this.limits = SandboxLimitsValidation.Validate(limits, nameof(limits));
    }

    /// <inheritdoc />
    public string Name => "unit-tests";

    /// <summary>The code a sample contributes to the program: its first Python block, or all of it.</summary>
    public static string ExtractCode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FencedCodeBlock.Find(text, "python", "python3", "py") ?? text;
    }

    /// <inheritdoc />
    public async ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        var program = IsolatedTestProgram.Create(context.Prelude + ExtractCode(text), context.Tests ?? "");
        var result = await program.RunAsync(sandbox, limits, cancellationToken).ConfigureAwait(false);
        if (IsolatedTestProgram.Passed(result))
        {
            return Verdict.Pass("passed");
        }
        return Verdict.Fail(IsolatedTestProgram.EndedEarly(result) ? IsolatedTestProgram.EarlyExitReason : Describe(result));
    }

    /// <summary>Why a run failed, in one line: the limit it hit, or its exit status and the last line it printed (the exception, for Python).</summary>
    internal static string Describe(SandboxResult result)
    {
        if (result.TimedOut)
        {
            return string.Create(CultureInfo.InvariantCulture, $"timed out after {result.Elapsed.TotalSeconds:0.#} s");
        }
        if (result.OutputLimitExceeded)
        {
            return "output limit exceeded";
        }
        if (result.ExitCode is not { } exitCode)
        {
            return "killed";
        }
        return VerdictText.WithDetail($"exit status {exitCode}", VerdictText.LastLine(result.Stderr, result.Stdout));
    }
}
