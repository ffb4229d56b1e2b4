using System.Collections;
using System.ComponentModel;
using System.Globalization;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Verification;

/// <summary>
/// Passes a sample when a command of the user's choosing, given the sample's text on standard input, exits
/// with status 0. The command is started directly (no shell) with the current environment plus
/// <c>SLINGSHOT_REFERENCE</c> and <c>SLINGSHOT_ANSWER</c> when the context has them, and is killed at a
/// timeout or when it writes more than an output cap.
/// </summary>
/// <remarks>
/// The command is the user's own program, trusted like anything else they run, so it runs WITHOUT the code
/// sandbox, by design: it may need the network, files or tools the sandbox would hide. The sample it reads
/// is untrusted data; a command that executes the sample should itself use a sandbox.
/// </remarks>
public sealed class ExternalCommandVerifier : IVerifier
{
    /// <summary>How long the command may run unless another timeout is given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Most bytes of output kept unless another cap is given.</summary>
    public const int DefaultMaxOutputBytes = 1 << 20;

    private readonly string fileName;
    private readonly string[] arguments;
    private readonly TimeSpan timeout;
    private readonly int maxOutputBytes;

    /// <summary>Creates the verifier.</summary>
    /// <param name="fileName">The program: a path, or a name looked up on PATH.</param>
    /// <param name="arguments">Its arguments, passed as they are (no shell quoting or expansion).</param>
    /// <param name="timeout">Longest the command may run; <see cref="DefaultTimeout"/> when null.</param>
    /// <param name="maxOutputBytes">Most bytes of stdout plus stderr; more kills the command and fails the sample.</param>
    public ExternalCommandVerifier(string fileName, IEnumerable<string>? arguments = null, TimeSpan? timeout = null,
        int maxOutputBytes = DefaultMaxOutputBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        this.fileName = fileName;
        this.arguments = arguments?.ToArray() ?? [];
        this.timeout = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(this.timeout, TimeSpan.Zero, nameof(timeout));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOutputBytes);
        this.maxOutputBytes = maxOutputBytes;
    }

    /// <inheritdoc />
    public string Name => "command";

    /// <inheritdoc />
    /// <exception cref="SlingshotException">The command cannot be started (not found, not executable).</exception>
    public async ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        SandboxResult result;
        try
        {
            result = await SandboxProcess.RunAsync([fileName, .. arguments], Environment.CurrentDirectory,
                EnvironmentFor(context), text, timeout, maxOutputBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            throw new SlingshotException($"cannot run the verifier command '{fileName}': {e.Message}", e);
        }

        var lastLine = VerdictText.LastLine(result.Stderr, result.Stdout);
        if (result.TimedOut)
        {
            return Verdict.Fail(VerdictText.WithDetail(
                string.Create(CultureInfo.InvariantCulture, $"{fileName} timed out after {timeout.TotalSeconds:0.#} s"), lastLine));
        }
        if (result.OutputLimitExceeded)
        {
            return Verdict.Fail($"{fileName} wrote more than {maxOutputBytes} bytes");
        }
        var status = VerdictText.WithDetail($"exit status {result.ExitCode}", lastLine);
        return result.ExitCode == 0 ? Verdict.Pass(status) : Verdict.Fail(status);
    }

    private static Dictionary<string, string> EnvironmentFor(VerificationContext context)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            environment[(string)variable.Key] = (string?)variable.Value ?? "";
        }
        environment.Remove("SLINGSHOT_REFERENCE");
        environment.Remove("SLINGSHOT_ANSWER");
        if (context.Reference is { } reference)
        {
            environment["SLINGSHOT_REFERENCE"] = reference;
        }
        if (context.Answer is { } answer)
        {
            environment["SLINGSHOT_ANSWER"] = answer;
        }
        return environment;
    }
}
