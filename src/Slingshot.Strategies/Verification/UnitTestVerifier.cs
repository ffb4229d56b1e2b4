using System.Globalization;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Verification;

/// <summary>
/// Passes a code sample when its program runs its tests to exit status 0 inside a sandbox. The program is
/// <see cref="VerificationContext.Prelude"/> + the sample's code + a newline + <see cref="VerificationContext.Tests"/>,
/// where the code is the sample's first fenced <c>python</c> (or unlabelled) block, or the whole text when it
/// has none. This is HumanEval's and MBPP's grading: correct means exit status 0 within the limits, and
/// the program ran to its end (see <see cref="CompletionCheckedProgram"/>), so code that exits before the
/// tests run fails.
/// </summary>
/// <remarks>
/// The tests must therefore finish without ending the process themselves: plain asserts, or
/// <c>assert unittest.main(exit=False).result.wasSuccessful()</c> rather than <c>unittest.main()</c>, which
/// always exits.
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
        var program = CompletionCheckedProgram.Create(context.Prelude + ExtractCode(text) + "\n" + context.Tests);
        var result = await sandbox.RunPythonAsync(program.Text, limits, stdin: null, cancellationToken).ConfigureAwait(false);
        if (program.Passed(result))
        {
            return Verdict.Pass("passed");
        }
        return Verdict.Fail(result.Succeeded ? CompletionCheckedProgram.EarlyExitReason : Describe(result));
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
