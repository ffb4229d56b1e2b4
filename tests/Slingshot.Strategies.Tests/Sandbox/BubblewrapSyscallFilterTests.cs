using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

/// <summary>
/// Kernel interfaces a test program never needs are closed inside the sandbox: new namespaces (the way
/// to capabilities and to the kernel's less-tested paths), ptrace, mounts, keyrings, BPF, perf, modules.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class BubblewrapSyscallFilterTests
{
    private static readonly SandboxLimits Limits = SandboxLimits.Default with { WallTime = TimeSpan.FromSeconds(20) };

    /// <summary>Python that calls one raw system call and prints "name errno" (0 when it succeeded).</summary>
    private const string Probe = """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        def probe(name, number, *args):
            ctypes.set_errno(0)
            result = libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args])
            print(name, ctypes.get_errno() if result == -1 else 0, flush=True)

        """;

    [SandboxFact]
    public async Task NestedUserNamespace_CannotBeCreated()
    {
        const string Program = """
            import ctypes, subprocess
            print('unshare-command', subprocess.run(['unshare', '-r', 'true'], capture_output=True).returncode)
            libc = ctypes.CDLL(None, use_errno=True)
            print('unshare-call', libc.unshare(0x10000000), ctypes.get_errno())
            """;

        var result = await new BubblewrapSandbox().RunPythonAsync(Program, Limits);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("unshare-command 1", result.Stdout);
        Assert.Contains("unshare-call -1 1", result.Stdout); // EPERM
    }

    [SandboxFact]
    public async Task DeniedSystemCalls_FailWithPermissionDenied()
    {
        // Each of these succeeds (or fails otherwise) for an unprivileged process without the filter:
        // keyctl reads the session keyring, ptrace(TRACEME) works on oneself, x32 getpid runs where the
        // kernel has x32; mount, bpf and perf_event_open would fail with other errors or succeed.
        const string Calls = """
            probe('ptrace', 101, 0, 0, 0, 0)
            probe('keyctl', 250, 0, -3, 0)
            probe('add_key', 248, 0, 0, 0, 0, 0)
            probe('mount', 165, 0, 0, 0, 0, 0)
            probe('umount2', 166, 0, 0)
            probe('pivot_root', 155, 0, 0)
            probe('bpf', 321, 0, 0, 0)
            probe('perf_event_open', 298, 0, 0, -1, -1, 0)
            probe('unshare', 272, 0x20000000)
            probe('setns', 308, 0, 0)
            probe('clone-newns', 56, 0x00020000 | 17, 0, 0, 0, 0)
            probe('init_module', 175, 0, 0, 0)
            probe('finit_module', 313, -1, 0, 0)
            probe('kexec_load', 246, 0, 0, 0, 0)
            probe('userfaultfd', 323, 0)
            probe('process_vm_readv', 310, 1, 0, 0, 0, 0, 0)
            probe('io_uring_setup', 425, 1, 0)
            probe('open_by_handle_at', 304, -1, 0, 0)
            probe('x32-getpid', 0x40000000 | 39)
            """;

        var result = await new BubblewrapSandbox().RunPythonAsync(Probe + Calls, Limits);

        Assert.Equal(0, result.ExitCode);
        var errors = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')).ToDictionary(parts => parts[0], parts => int.Parse(parts[1]));
        Assert.Equal(19, errors.Count);
        Assert.All(errors, call => Assert.True(call.Value == 1, $"{call.Key}: errno {call.Value}, expected EPERM"));
    }

    [SandboxFact]
    public async Task Clone3_ReportsNotImplemented_SoThreadsAndProcessesFallBackToClone()
    {
        const string Program = Probe + """
            probe('clone3', 435, 0, 0)
            import subprocess, threading
            worker = threading.Thread(target=lambda: print('thread ran', flush=True))
            worker.start()
            worker.join()
            print('child said', subprocess.run(['echo', 'hi'], capture_output=True, text=True).stdout.strip())
            pid = os.fork()
            if pid == 0:
                os._exit(7)
            print('fork status', os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
            """;

        var result = await new BubblewrapSandbox().RunPythonAsync(Program, Limits);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("clone3 38", result.Stdout); // ENOSYS
        Assert.Contains("thread ran", result.Stdout);
        Assert.Contains("child said hi", result.Stdout);
        Assert.Contains("fork status 7", result.Stdout);
    }
}
