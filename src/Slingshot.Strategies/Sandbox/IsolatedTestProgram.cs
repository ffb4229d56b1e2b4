using System.Globalization;
using System.Text;

namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// Code under test and the tests that check it, run so that the code cannot fake the verdict. The code runs
/// in one Python process and the tests in another, which never loads the code: every name the code
/// defines reaches the tests as a proxy whose calls travel over a pipe, and results come back as plain
/// data (numbers, strings, lists, dicts, sets, ...) decoded by the tests' process itself. The verdict is
/// the exit status of the tests' process: 0 only when the test code ran to its end.
/// </summary>
/// <remarks>
/// <para>
/// What this defeats, and an in-process check cannot: code that reads the test program (or its own heap,
/// environment, descriptors) to find a success token or the expected values, since the tests are never in
/// its process and the tests' process is not dumpable; code that ends the process with status 0 before
/// or while the tests call it (<c>sys.exit(0)</c>, <c>os._exit(0)</c>, <c>unittest.main()</c>), since the
/// tests' process then exits with <see cref="EarlyExitStatus"/> at once; results that claim to equal
/// anything (an <c>__eq__</c> that returns True, an <c>int</c> subclass that does), since a result crosses
/// as plain data or stays behind as a proxy that equals no plain value; code that redefines a builtin the
/// tests check with (<c>abs</c>, <c>isinstance</c>), since the code's names never hide Python's own in the
/// tests, except the names of the functions under test (<see cref="Subjects"/>).
/// </para>
/// <para>
/// What it cannot judge: tests that compare two objects the code itself made (instances of its own
/// classes) trust that code's <c>__eq__</c>, and tests that call a helper the code defines trust that
/// helper, as they would anywhere.
/// </para>
/// </remarks>
public sealed class IsolatedTestProgram
{
    /// <summary>Why a run whose code ended the process (status 0) before the tests finished fails.</summary>
    public const string EarlyExitReason = "exited before the tests finished";

    /// <summary>The exit status of the tests' process when the code under test ended its own with status 0 before the tests finished.</summary>
    public const int EarlyExitStatus = 86;

    /// <summary>The exit status when the code under test answered with something that is not a well-formed reply.</summary>
    public const int BrokenProtocolStatus = 87;

    /// <summary>The exit status when the tests' process could not make itself unreadable to the code under test.</summary>
    public const int NoIsolationStatus = 88;

    /// <summary>The harness: a Python program that runs the tests and hosts the code in a forked process.</summary>
    public static string Harness { get; } = ReadResource("test_harness.py").Replace("#include wire.py\n", ReadResource("wire.py"), StringComparison.Ordinal);

    /// <summary>How the sandbox writes standard input, and so how the byte counts are counted.</summary>
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private IsolatedTestProgram(string code, string tests, IReadOnlyList<string> subjects)
    {
        Code = code;
        Tests = tests;
        Subjects = subjects;
        // A header of byte counts, then the three texts: no parser needed on the other side, so the
        // harness imports nothing it does not need (each import is start-up time for every program).
        var parts = new[] { code, tests, string.Join("\n", subjects) };
        var sizes = string.Join(' ', parts.Select(part => Utf8.GetByteCount(part).ToString(CultureInfo.InvariantCulture)));
        Stdin = sizes + "\n" + string.Concat(parts);
    }

    /// <summary>The code under test, run as the <c>__main__</c> module of its own process.</summary>
    public string Code { get; }

    /// <summary>The tests, run in a process of their own; the names <see cref="Code"/> defines are visible to them.</summary>
    public string Tests { get; }

    /// <summary>
    /// The names of the functions under test. Only these may hide a builtin of the same name in the tests
    /// (MBPP task 126 tests a function called <c>sum</c>); every other name the code defines that is also a
    /// builtin stays the builtin there.
    /// </summary>
    public IReadOnlyList<string> Subjects { get; }

    /// <summary>What the harness reads on its standard input: a line of byte counts, then the code, the tests and the subjects.</summary>
    public string Stdin { get; }

    /// <summary>Pairs <paramref name="code"/> with the <paramref name="tests"/> that check it.</summary>
    /// <param name="code">The code under test (HumanEval: the prompt and the completion; MBPP: the code).</param>
    /// <param name="tests">The test code (HumanEval: <c>check</c> and its call; MBPP: setup code and asserts).</param>
    /// <param name="subjects">The names of the functions under test, when known.</param>
    public static IsolatedTestProgram Create(string code, string tests, IEnumerable<string>? subjects = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(tests);
        var names = subjects?.ToArray() ?? [];
        if (names.Any(name => name.Length == 0 || name.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException("Subjects must be Python names.", nameof(subjects));
        }
        return new IsolatedTestProgram(code, tests, names);
    }

    /// <summary>
    /// Runs the tests in <paramref name="sandbox"/>. The harness needs one process beyond the code's, so the
    /// process limit is raised by one. The first run in a sandbox also compiles the harness there (see
    /// <see cref="CompiledHarness"/>).
    /// </summary>
    public async Task<SandboxResult> RunAsync(ICodeSandbox sandbox, SandboxLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        limits = SandboxLimitsValidation.Validate(limits, nameof(limits));
        var harness = await CompiledHarness.ForAsync(sandbox).WaitAsync(cancellationToken).ConfigureAwait(false);
        return await sandbox.RunPythonAsync(harness, limits with { MaxProcesses = limits.MaxProcesses + 1 }, Stdin, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Whether the run passed: the tests' process exited 0, within every limit.</summary>
    public static bool Passed(SandboxResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Succeeded;
    }

    /// <summary>Whether the code under test ended the process with status 0 before the tests finished.</summary>
    public static bool EndedEarly(SandboxResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.ExitCode == EarlyExitStatus && !result.TimedOut && !result.OutputLimitExceeded;
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(IsolatedTestProgram).Assembly.GetManifestResourceStream($"Slingshot.Strategies.Sandbox.{name}")
            ?? throw new InvalidOperationException($"The test harness file {name} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
