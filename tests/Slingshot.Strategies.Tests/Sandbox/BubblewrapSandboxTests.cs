using System.Diagnostics;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

[Collection(SandboxCollection.Name)]
public sealed class BubblewrapSandboxTests
{
    private static readonly SandboxLimits Quick = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) };

    [SandboxFact]
    public async Task RunPython_PrintAndExitZero_Succeeds()
    {
        var result = await new BubblewrapSandbox().RunPythonAsync("print('hello', 6 * 7)", Quick);

        Assert.True(result.Succeeded, result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello 42\n", result.Stdout);
        Assert.Equal("", result.Stderr);
        Assert.False(result.TimedOut);
        Assert.False(result.OutputLimitExceeded);
    }

    [SandboxFact]
    public async Task RunPython_ExitThree_ReportsThree()
    {
        var result = await new BubblewrapSandbox().RunPythonAsync("import sys\nsys.exit(3)", Quick);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.False(result.TimedOut);
    }

    [SandboxFact]
    public async Task RunPython_FailedAssertion_ReportsStatusOneWithTraceback()
    {
        var result = await new BubblewrapSandbox().RunPythonAsync("def f():\n    return 1\nassert f() == 2, 'f is wrong'", Quick);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("AssertionError: f is wrong", result.Stderr);
    }

    [SandboxFact]
    public async Task RunPython_Stdin_IsEchoed()
    {
        var result = await new BubblewrapSandbox().RunPythonAsync(
            "import sys\nsys.stdout.write(sys.stdin.read().upper())", Quick, stdin: "two lines\nñandú ✓\n");

        Assert.True(result.Succeeded, result.Stderr);
        Assert.Equal("TWO LINES\nÑANDÚ ✓\n", result.Stdout);
    }

    [SandboxFact]
    public async Task RunPython_NoStdin_ReadsEndOfInputInsteadOfHanging()
    {
        var result = await new BubblewrapSandbox().RunPythonAsync("import sys\nprint(repr(sys.stdin.read()))", Quick);

        Assert.True(result.Succeeded, result.Stderr);
        Assert.Equal("''\n", result.Stdout);
    }

    [SandboxFact]
    public async Task RunPython_WorkingDirectory_IsWritableScratch()
    {
        const string Program = "open('notes.txt', 'w').write('kept')\nprint(open('notes.txt').read())\nimport os\nprint(os.getcwd())";

        var result = await new BubblewrapSandbox().RunPythonAsync(Program, Quick);

        Assert.True(result.Succeeded, result.Stderr);
        Assert.Equal("kept\n/tmp\n", result.Stdout);
    }

    [SandboxFact]
    public async Task RunPython_Environment_HoldsNothingFromTheHost()
    {
        var result = await new BubblewrapSandbox().RunPythonAsync("import os\nprint(' '.join(sorted(os.environ)))", Quick);

        Assert.True(result.Succeeded, result.Stderr);
        Assert.Equal("HOME LANG PATH PWD PYTHONDONTWRITEBYTECODE PYTHONIOENCODING TMPDIR\n", result.Stdout);
    }

    [SandboxFact]
    public async Task RunPython_FourAtOnce_EachSeesOnlyItsOwnFiles()
    {
        var sandbox = new BubblewrapSandbox();
        const string Program = """
            import os, sys, time
            me = sys.stdin.read()
            open('id.txt', 'w').write(me)
            time.sleep(1)
            print(me, open('id.txt').read(), sorted(os.listdir('.')))
            """;
        var stopwatch = Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(i => sandbox.RunPythonAsync(Program, Quick, stdin: $"run{i}")));

        stopwatch.Stop();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(results[i].Succeeded, results[i].ToString());
            Assert.Equal($"run{i} run{i} ['id.txt', 'prog.py']\n", results[i].Stdout);
        }
        // Run one after another they would take at least four seconds.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3.9), $"took {stopwatch.Elapsed}");
    }

    [SandboxFact]
    public async Task RunPython_SleepPastWallTime_TimesOutAndIsKilled()
    {
        var limits = Quick with { WallTime = TimeSpan.FromSeconds(1) };

        var result = await new BubblewrapSandbox().RunPythonAsync("import time\ntime.sleep(60)", limits);

        Assert.True(result.TimedOut, result.ToString());
        Assert.Null(result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
    }

    [SandboxFact]
    public async Task RunPython_SpinPastCpuTime_IsKilledByTheKernel()
    {
        var limits = Quick with { CpuTime = TimeSpan.FromSeconds(1), WallTime = TimeSpan.FromSeconds(30) };

        var result = await new BubblewrapSandbox().RunPythonAsync("while True:\n    pass", limits);

        Assert.False(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.NotNull(result.ExitCode);
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(15), $"took {result.Elapsed}");
    }

    [SandboxFact]
    public async Task RunPython_Cancelled_ThrowsAndLeavesNothingRunning()
    {
        var name = HostProcesses.UniqueName("sbxcancel");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new BubblewrapSandbox().RunPythonAsync(
            HostProcesses.RenameTo(name) + "import time\ntime.sleep(60)", Quick, cancellationToken: cancellation.Token));

        Assert.Empty(await HostProcesses.WaitUntilGoneAsync(name, TimeSpan.FromSeconds(3)));
    }

    [SandboxFact]
    public void Description_NamesBubblewrapAndItsIsolation()
    {
        var description = new BubblewrapSandbox().Description;

        Assert.StartsWith("bubblewrap", description);
        Assert.Contains("no network", description);
        // bubblewrap 0.8 on a kernel with seccomp, as on every machine this project runs on.
        Assert.Contains("seccomp filter, no user namespaces inside", description);
        Assert.DoesNotContain("weakened", description);
    }

    [SandboxFact]
    public async Task RunPython_NonPositiveLimit_Throws()
    {
        var sandbox = new BubblewrapSandbox();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            sandbox.RunPythonAsync("pass", SandboxLimits.Default with { WallTime = TimeSpan.Zero }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            sandbox.RunPythonAsync("pass", SandboxLimits.Default with { MaxProcesses = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            sandbox.RunPythonAsync("pass", SandboxLimits.Default with { MemoryBytes = -1 }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => sandbox.RunPythonAsync(null!));
    }
}
