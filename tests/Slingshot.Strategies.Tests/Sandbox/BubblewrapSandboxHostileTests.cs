using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

/// <summary>Programs that attack the machine: each must end as a failure (or harmlessly) with the host untouched.</summary>
[Collection(SandboxCollection.Name)]
public sealed class BubblewrapSandboxHostileTests
{
    private readonly BubblewrapSandbox sandbox = new();

    [SandboxFact]
    public async Task InfiniteLoop_IsKilledAtTheWallTime()
    {
        var name = HostProcesses.UniqueName("sbxloop");
        var limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(2), CpuTime = TimeSpan.FromSeconds(60) };

        var result = await sandbox.RunPythonAsync(HostProcesses.RenameTo(name) + "while True:\n    pass", limits);

        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.Empty(await HostProcesses.WaitUntilGoneAsync(name, TimeSpan.FromSeconds(3)));
    }

    [SandboxFact]
    public async Task ForkBomb_IsStoppedAtTheProcessLimitAndLeavesNothing()
    {
        var name = HostProcesses.UniqueName("sbxfork");
        // The default process limit, the one that bounds how much memory a hostile program can hold.
        var limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) };
        const string Bomb = """
            import os, sys, time
            children = 0
            try:
                while True:
                    if os.fork() == 0:
                        time.sleep(60)
                        os._exit(0)
                    children += 1
            except OSError as error:
                print('refused after', children, error.errno, flush=True)
            while True:
                os.fork()
            """;

        var result = await sandbox.RunPythonAsync(HostProcesses.RenameTo(name) + Bomb, limits);

        Assert.False(result.Succeeded);
        var refused = result.Stdout.Split(' ');
        Assert.Equal("refused", refused[0]);
        Assert.InRange(int.Parse(refused[2]), 1, limits.MaxProcesses - 1);
        Assert.Empty(await HostProcesses.WaitUntilGoneAsync(name, TimeSpan.FromSeconds(5)));
    }

    [SandboxFact]
    public async Task MemoryBomb_FailsFast()
    {
        const string Bomb = "hoard = []\nwhile True:\n    hoard.append(bytearray(64 * 1024 * 1024))";
        var limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) };

        var result = await sandbox.RunPythonAsync(Bomb, limits);

        Assert.False(result.Succeeded);
        Assert.False(result.TimedOut);
        Assert.Contains("MemoryError", result.Stderr);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(10), $"took {result.Elapsed}");
    }

    [SandboxFact]
    public async Task Network_InternetAndHostLoopback_AreUnreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var program = $$"""
            import socket, sys
            connected = False
            for host, port in [('1.1.1.1', 80), ('127.0.0.1', {{port}})]:
                try:
                    socket.create_connection((host, port), timeout=3).close()
                    print(host, 'connected')
                    connected = True
                except OSError as error:
                    print(host, 'failed', error.errno)
            sys.exit(0 if connected else 1)
            """;

        var result = await sandbox.RunPythonAsync(program, SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) });

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("connected", result.Stdout);
        Assert.Contains("1.1.1.1 failed", result.Stdout);
        Assert.Contains("127.0.0.1 failed", result.Stdout);
        Assert.False(listener.Pending());
    }

    [SandboxFact]
    public async Task WriteOutsideScratch_NeverReachesTheHost()
    {
        var marker = "slingshot-escape-" + Guid.NewGuid().ToString("N");
        var repoTarget = Path.Combine(TestPaths.RepoRoot, marker);
        var hostTmpTarget = Path.Combine("/tmp", marker);
        var program = $$"""
            import sys
            failures = 0
            for path in [{{PythonString(repoTarget)}}, '/usr/{{marker}}', '/etc/{{marker}}', '/{{marker}}']:
                try:
                    open(path, 'w').write('escaped')
                    print(path, 'written')
                except OSError as error:
                    failures += 1
                    print(path, 'refused', type(error).__name__)
            open('/tmp/{{marker}}', 'w').write('stays inside')
            sys.exit(1 if failures else 0)
            """;

        try
        {
            var result = await sandbox.RunPythonAsync(program, SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) });

            Assert.Equal(1, result.ExitCode);
            Assert.DoesNotContain("written", result.Stdout);
            Assert.Equal(4, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.False(File.Exists(repoTarget));
            Assert.False(File.Exists(hostTmpTarget));
            Assert.False(File.Exists("/usr/" + marker));
        }
        finally
        {
            File.Delete(repoTarget);
            File.Delete(hostTmpTarget);
        }
    }

    [SandboxFact]
    public async Task ReadHomeOrRepository_Fails()
    {
        var repoFile = Path.Combine(TestPaths.RepoRoot, "Slingshot.slnx");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var program = $$"""
            import os, sys
            leaked = False
            for path in ['/root/.bashrc', {{PythonString(Path.Combine(home, ".bashrc"))}}, {{PythonString(repoFile)}}]:
                try:
                    print(path, 'read', len(open(path).read()))
                    leaked = True
                except OSError as error:
                    print(path, 'refused', type(error).__name__)
            print(sorted(os.listdir('/')))
            sys.exit(0 if leaked else 1)
            """;

        var result = await sandbox.RunPythonAsync(program, SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) });

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain(" read ", result.Stdout);
        Assert.DoesNotContain("'root'", result.Stdout);
        Assert.DoesNotContain("'home'", result.Stdout);
        Assert.DoesNotContain("'work'", result.Stdout);
    }

    [SandboxFact]
    public async Task HugeOutput_IsCutAtTheLimitAndKilled()
    {
        var limits = SandboxLimits.Default with { MaxOutputBytes = 64 * 1024, WallTime = TimeSpan.FromSeconds(20) };

        var result = await sandbox.RunPythonAsync("line = 'x' * 999\nwhile True:\n    print(line)", limits);

        Assert.True(result.OutputLimitExceeded);
        Assert.False(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal(limits.MaxOutputBytes, result.Stdout.Length + result.Stderr.Length);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(10), $"took {result.Elapsed}");
    }

    [SandboxFact]
    public async Task ScratchSpace_IsBounded()
    {
        var limits = SandboxLimits.Default with { MaxFileBytes = 1 << 20, WallTime = TimeSpan.FromSeconds(20) };
        const string Filler = """
            import sys
            written = 0
            try:
                for i in range(100):
                    with open(f'fill{i}', 'wb') as f:
                        f.write(b'x' * (1 << 20))
                    written += 1
            except OSError as error:
                print('stopped', written, error.errno)
                sys.exit(1)
            """;

        var result = await sandbox.RunPythonAsync(Filler, limits);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("stopped", result.Stdout);
        Assert.InRange(int.Parse(result.Stdout.Split(' ')[1]), 0, 4);
    }

    [SandboxFact]
    public async Task KillParentAndInit_TestProcessSurvives()
    {
        const string Program = "import os, time\nos.kill(os.getppid(), 9)\nos.kill(1, 9)\ntime.sleep(0.5)\nprint('still here')";

        var result = await sandbox.RunPythonAsync(Program, SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) });

        Assert.False(result.TimedOut);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(10));
        Assert.False(Process.GetCurrentProcess().HasExited);
    }

    [SandboxFact]
    public async Task KillEverything_HostProcessOfTheSameUserSurvives()
    {
        // A host process running as the very user the program runs as (nobody when we are root):
        // without a pid namespace, kill(-1, SIGKILL) from the program would reach it.
        var startInfo = Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/sleep", "60"])
            : new ProcessStartInfo("/usr/bin/sleep", ["60"]);
        using var bystander = Process.Start(startInfo)!;
        try
        {
            var result = await sandbox.RunPythonAsync("import os\nos.kill(-1, 9)\nprint('survived')",
                SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) });

            // Nothing but the sandbox's init (which kill(-1) spares) and the program itself lives in its pid namespace.
            Assert.Contains("ProcessLookupError", result.Stderr);
            Assert.False(result.TimedOut);
            await Task.Delay(200);
            Assert.False(bystander.HasExited);
        }
        finally
        {
            bystander.Kill();
        }
    }

    private static string PythonString(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
