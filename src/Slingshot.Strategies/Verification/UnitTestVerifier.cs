using System.Globalization;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Verification;

/// <summary>
/// Passes a code sample when its tests run to their end inside a sandbox. The code is what
/// <see cref="CodeBlockExtractor"/> takes from the sample (its first fenced <c>python</c> or unlabelled block,
/// indentation of the fence removed, else the whole text); the code under test is
/// <see cref="VerificationContext.Prelude"/> + that code (see <see cref="BuildProgram"/>), and
/// <see cref="VerificationContext.Tests"/> run in a separate process that sees the code's names (see
/// <see cref="IsolatedTestProgram"/>). This is HumanEval's and MBPP's grading, not a copy of it: correct means
/// the tests finished, with exit status 0, within the limits; code that ends the process before the tests
/// finish, or that tries to fake the verdict, fails.
/// </summary>
/// <remarks>
/// The tests may end their process themselves (<c>unittest.main()</c> exits with 0 only when every test
/// passed). Values the tests pass to the code must be plain data, objects of the code's own classes, or
/// instances of classes both sides can import (a function the tests define cannot cross).
/// </remarks>
public sealed class UnitTestVerifier : IVerifier
{
    private static readonly CodeBlockExtractor Code = new();

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

    /// <inheritdoc />
    public async ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        var program = BuildProgram(Code.Extract(text), context);
        var result = await program.RunAsync(sandbox, limits, cancellationToken).ConfigureAwait(false);
        return new Verdict(IsolatedTestProgram.Passed(result), Reason(result));
    }

    /// <summary>
    /// The program that checks <paramref name="code"/> (a sample's code as <see cref="CodeBlockExtractor"/>
    /// extracts it): <see cref="VerificationContext.Prelude"/> + the code, tested by
    /// <see cref="VerificationContext.Tests"/>. A sample is either a continuation of the prelude (HumanEval's
    /// bare function body), which follows all of it, or code that defines a function under test itself (a
    /// chat model's whole function), which follows only the prelude's part before the prelude's own
    /// definition of that function: its imports and helpers.
    /// </summary>
    public static IsolatedTestProgram BuildProgram(string code, VerificationContext context)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(context);
        return IsolatedTestProgram.Create(PreludeFor(code, context) + code, context.Tests ?? "", context.EntryPoints);
    }

    /// <summary>
    /// The sandbox outcome as a verdict's reason: "passed", "exited before the tests finished", or why it
    /// failed (<see cref="Describe"/>).
    /// </summary>
    internal static string Reason(SandboxResult result)
    {
        if (IsolatedTestProgram.Passed(result))
        {
            return "passed";
        }
        return IsolatedTestProgram.EndedEarly(result) ? IsolatedTestProgram.EarlyExitReason : Describe(result);
    }

    private static string PreludeFor(string code, VerificationContext context)
    {
        if (context.Prelude is not { } prelude)
        {
            return "";
        }
        foreach (var entryPoint in context.EntryPoints)
        {
            var definition = $"def {entryPoint}(";
            var at = prelude.IndexOf(definition, StringComparison.Ordinal);
            if (at >= 0 && code.Contains(definition, StringComparison.Ordinal))
            {
                return prelude[..(prelude.LastIndexOf('\n', Math.Max(at - 1, 0)) + 1)];
            }
        }
        return prelude;
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
