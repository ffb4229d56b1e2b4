using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

[Collection(SandboxCollection.Name)]
public sealed class UnsafeProcessSandboxTests
{
    private static readonly SandboxLimits Quick = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) };

    private readonly UnsafeProcessSandbox sandbox = new();

    [Fact]
    public void Description_SaysUnsafe()
    {
        Assert.StartsWith("UNSAFE", sandbox.Description);
    }

    [Fact]
    public async Task RunPython_PrintAndExitZero_Succeeds()
    {
        var result = await sandbox.RunPythonAsync("print('hello')", Quick);

        Assert.True(result.Succeeded, result.Stderr);
        Assert.Equal("hello\n", result.Stdout);
    }

    [Fact]
    public async Task IsolatedTestProgram_GradesTheSameWithoutIsolation()
    {
        var right = await IsolatedTestProgram.Create("def add(a, b):\n    return a + b", "assert add(2, 3) == 5").RunAsync(sandbox, Quick);
        var wrong = await IsolatedTestProgram.Create("def add(a, b):\n    return a - b", "assert add(2, 3) == 5").RunAsync(sandbox, Quick);
        var early = await IsolatedTestProgram.Create("import os\ndef add(a, b):\n    os._exit(0)", "assert add(2, 3) == 5").RunAsync(sandbox, Quick);

        Assert.True(IsolatedTestProgram.Passed(right), right.Stderr);
        Assert.Equal(1, wrong.ExitCode);
        Assert.True(IsolatedTestProgram.EndedEarly(early), early.Stderr);
    }

    [Fact]
    public async Task RunPython_ExitThree_ReportsThree()
    {
        var result = await sandbox.RunPythonAsync("raise SystemExit(3)", Quick);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task RunPython_Stdin_IsEchoed()
    {
        var result = await sandbox.RunPythonAsync("import sys\nprint(sys.stdin.read()[::-1])", Quick, stdin: "abc");

        Assert.Equal("cba\n", result.Stdout);
    }

    [Fact]
    public async Task RunPython_InfiniteLoop_TimesOut()
    {
        var limits = Quick with { WallTime = TimeSpan.FromSeconds(1) };

        var result = await sandbox.RunPythonAsync("while True:\n    pass", limits);

        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task RunPython_HugeOutput_IsCut()
    {
        var limits = Quick with { MaxOutputBytes = 10_000 };

        var result = await sandbox.RunPythonAsync("while True:\n    print('y' * 100)", limits);

        Assert.True(result.OutputLimitExceeded);
        Assert.Equal(10_000, result.Stdout.Length);
    }

    [Fact]
    public async Task RunPython_MemoryBomb_FailsOnTheAddressSpaceLimit()
    {
        var result = await sandbox.RunPythonAsync("hoard = []\nwhile True:\n    hoard.append(bytearray(64 << 20))", Quick);

        Assert.False(result.Succeeded);
        Assert.Contains("MemoryError", result.Stderr);
    }

    [Fact]
    public void Constructor_MissingInterpreter_ThrowsOneLineNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "python3");

        var error = Assert.Throws<SlingshotException>(() => new UnsafeProcessSandbox(missing));

        Assert.Equal($"python interpreter not found at {missing}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Constructor_InterpreterNotExecutable_ThrowsOneLine()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<SlingshotException>(() => new UnsafeProcessSandbox(file));

            Assert.Equal($"python interpreter at {file} is not executable", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
