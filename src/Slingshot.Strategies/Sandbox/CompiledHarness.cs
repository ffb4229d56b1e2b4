using System.Runtime.CompilerServices;

namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// The test harness compiled ahead, once per sandbox, by that sandbox's own interpreter. Python compiles a
/// script on every run, and compiling the harness took about a fifth of each program's time; bytecode
/// embedded in a short loader skips that. The loader checks the interpreter's bytecode version and
/// compiles the embedded source instead when it differs, so a changed interpreter still runs correctly.
/// </summary>
internal static class CompiledHarness
{
    /// <summary>
    /// Runs in the sandbox with the harness source on standard input and prints the loader: nothing
    /// untrusted runs there, so what it prints is as trusted as the source.
    /// </summary>
    private const string Compiler = """
        import sys, marshal, binascii, _frozen_importlib_external as bootstrap
        source = sys.stdin.read()
        data = binascii.b2a_base64(marshal.dumps(compile(source, "<harness>", "exec")), newline=False).decode()
        sys.stdout.write(
            "# The test harness (Slingshot's Sandbox/TestHarness), compiled ahead for this interpreter.\n"
            "import marshal, binascii, _frozen_importlib_external as _bootstrap\n"
            f"if _bootstrap.MAGIC_NUMBER == {bootstrap.MAGIC_NUMBER!r}:\n"
            f"    exec(marshal.loads(binascii.a2b_base64({data!r})))\n"
            "else:\n"
            f"    exec(compile({ascii(source)}, '<harness>', 'exec'))\n")
        """;

    private static readonly ConditionalWeakTable<ICodeSandbox, Task<string>> Programs = new();

    /// <summary>The harness program for <paramref name="sandbox"/>: compiled when that worked, else the source.</summary>
    public static Task<string> ForAsync(ICodeSandbox sandbox) => Programs.GetValue(sandbox, CompileAsync);

    private static async Task<string> CompileAsync(ICodeSandbox sandbox)
    {
        try
        {
            var limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(30) };
            var result = await sandbox.RunPythonAsync(Compiler, limits, IsolatedTestProgram.Harness, CancellationToken.None).ConfigureAwait(false);
            if (result.Succeeded && result.Stdout.StartsWith("# The test harness", StringComparison.Ordinal))
            {
                return result.Stdout;
            }
        }
        catch (Exception e) when (e is SlingshotException or System.ComponentModel.Win32Exception or IOException)
        {
            // The source runs everywhere the compiled form would; only slower.
        }
        return IsolatedTestProgram.Harness;
    }
}
