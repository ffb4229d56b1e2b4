using System.Buffers.Binary;

namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// The seccomp filter sandboxed programs run under: a classic BPF program (what bubblewrap's <c>--seccomp</c>
/// loads) that refuses, with EPERM, the system calls a test program never needs and that are the usual
/// first step out of a sandbox or into the kernel's less-tested code: new namespaces, ptrace and reading
/// other processes' memory, mounts, keyrings, BPF, perf, io_uring, kernel modules, kexec, reboot, swap.
/// Built here, byte for byte, so no libseccomp is needed.
/// </summary>
/// <remarks>
/// x86-64 only. A system call made through another ABI (32-bit <c>int 0x80</c>, or x32, whose numbers carry
/// bit 30) is refused too: the numbers below mean nothing there. <c>clone</c> is allowed without the
/// <c>CLONE_NEW*</c> flags (threads and fork need it); <c>clone3</c> passes its flags in memory, which a
/// filter cannot read, so it answers ENOSYS and the C library falls back to <c>clone</c>.
/// </remarks>
internal static class SeccompFilter
{
    /// <summary>AUDIT_ARCH_X86_64: the only architecture the filter allows.</summary>
    public const uint ArchX86_64 = 0xC000003E;

    /// <summary>The x32 ABI marks its system call numbers with this bit.</summary>
    public const uint X32SyscallBit = 0x40000000;

    /// <summary>CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET and NEWTIME.</summary>
    public const uint NewNamespaceFlags = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080;

    /// <summary>The x86-64 number of <c>clone</c>, whose flags are checked.</summary>
    public const int Clone = 56;

    /// <summary>The x86-64 number of <c>clone3</c>, answered with ENOSYS.</summary>
    public const int Clone3 = 435;

    /// <summary>Refused outright, by x86-64 number.</summary>
    public static IReadOnlyDictionary<string, int> Denied { get; } = new Dictionary<string, int>
    {
        ["ptrace"] = 101, ["process_vm_readv"] = 310, ["process_vm_writev"] = 311, ["pidfd_getfd"] = 438,
        ["process_madvise"] = 440, ["kcmp"] = 312,
        ["unshare"] = 272, ["setns"] = 308,
        ["mount"] = 165, ["umount2"] = 166, ["pivot_root"] = 155, ["chroot"] = 161, ["open_tree"] = 428,
        ["move_mount"] = 429, ["fsopen"] = 430, ["fsconfig"] = 431, ["fsmount"] = 432, ["fspick"] = 433,
        ["mount_setattr"] = 442, ["name_to_handle_at"] = 303, ["open_by_handle_at"] = 304,
        ["keyctl"] = 250, ["add_key"] = 248, ["request_key"] = 249,
        ["bpf"] = 321, ["perf_event_open"] = 298, ["userfaultfd"] = 323,
        ["io_uring_setup"] = 425, ["io_uring_enter"] = 426, ["io_uring_register"] = 427,
        ["init_module"] = 175, ["finit_module"] = 313, ["delete_module"] = 176, ["create_module"] = 174,
        ["kexec_load"] = 246, ["kexec_file_load"] = 320, ["reboot"] = 169,
        ["swapon"] = 167, ["swapoff"] = 168, ["acct"] = 163, ["quotactl"] = 179, ["quotactl_fd"] = 443,
        ["syslog"] = 103, ["iopl"] = 172, ["ioperm"] = 173, ["modify_ldt"] = 154, ["uselib"] = 134,
        ["lookup_dcookie"] = 212, ["vhangup"] = 153, ["fanotify_init"] = 300,
    };

    private const ushort LoadWordAbsolute = 0x20;   // BPF_LD | BPF_W | BPF_ABS
    private const ushort JumpIfEqual = 0x15;        // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort JumpIfGreaterOrEqual = 0x35; // BPF_JMP | BPF_JGE | BPF_K
    private const ushort JumpIfAnyBit = 0x45;       // BPF_JMP | BPF_JSET | BPF_K
    private const ushort Return = 0x06;             // BPF_RET | BPF_K

    private const uint Allow = 0x7FFF0000;          // SECCOMP_RET_ALLOW
    private const uint Error = 0x00050000;          // SECCOMP_RET_ERRNO | errno
    private const uint PermissionDenied = 1;        // EPERM
    private const uint NotImplemented = 38;         // ENOSYS

    // Offsets in struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6].
    private const uint NumberOffset = 0;
    private const uint ArchOffset = 4;
    private const uint FirstArgumentLowOffset = 16;

    /// <summary>The filter as the kernel takes it: an array of 8-byte <c>struct sock_filter</c>, little-endian.</summary>
    public static byte[] Build()
    {
        var program = new List<(ushort Code, byte IfTrue, byte IfFalse, uint K)>
        {
            (LoadWordAbsolute, 0, 0, ArchOffset),
            (JumpIfEqual, 1, 0, ArchX86_64),
            (Return, 0, 0, Error | PermissionDenied),
            (LoadWordAbsolute, 0, 0, NumberOffset),
            (JumpIfGreaterOrEqual, 0, 1, X32SyscallBit),
            (Return, 0, 0, Error | PermissionDenied),
        };
        foreach (var number in Denied.Values.Order())
        {
            program.Add((JumpIfEqual, 0, 1, (uint)number));
            program.Add((Return, 0, 0, Error | PermissionDenied));
        }
        program.Add((JumpIfEqual, 0, 1, Clone3));
        program.Add((Return, 0, 0, Error | NotImplemented));
        program.Add((JumpIfEqual, 0, 3, Clone));
        // The flags are the first argument; the CLONE_NEW* bits all lie in its low 32 bits, which is all
        // clone() itself reads of it.
        program.Add((LoadWordAbsolute, 0, 0, FirstArgumentLowOffset));
        program.Add((JumpIfAnyBit, 0, 1, NewNamespaceFlags));
        program.Add((Return, 0, 0, Error | PermissionDenied));
        program.Add((Return, 0, 0, Allow));

        var bytes = new byte[program.Count * 8];
        for (var i = 0; i < program.Count; i++)
        {
            var (code, ifTrue, ifFalse, k) = program[i];
            var slot = bytes.AsSpan(i * 8, 8);
            BinaryPrimitives.WriteUInt16LittleEndian(slot, code);
            slot[2] = ifTrue;
            slot[3] = ifFalse;
            BinaryPrimitives.WriteUInt32LittleEndian(slot[4..], k);
        }
        return bytes;
    }
}
