using System.Buffers.Binary;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

/// <summary>The filter's shape, and how the command line carries it; what it refuses is proven in <see cref="BubblewrapSyscallFilterTests"/>.</summary>
public sealed class SeccompFilterTests
{
    private static readonly BubblewrapCommand Command = new("/usr/bin/bwrap", "/usr/bin/prlimit", null, "/bin/sh");

    [Fact]
    public void Build_ChecksTheArchitectureFirstAndEndsByAllowing()
    {
        var filter = SeccompFilter.Build();
        var instructions = Enumerable.Range(0, filter.Length / 8)
            .Select(i => (Code: BinaryPrimitives.ReadUInt16LittleEndian(filter.AsSpan(i * 8)), K: BinaryPrimitives.ReadUInt32LittleEndian(filter.AsSpan(i * 8 + 4))))
            .ToList();

        Assert.Equal(0, filter.Length % 8);
        Assert.Equal((0x20, 4u), (instructions[0].Code, instructions[0].K));                    // load arch
        Assert.Equal((0x15, SeccompFilter.ArchX86_64), (instructions[1].Code, instructions[1].K)); // == x86-64
        Assert.Equal((0x06, 0x7FFF0000u), (instructions[^1].Code, instructions[^1].K));          // allow
        Assert.All(SeccompFilter.Denied.Values, number => Assert.Contains((0x15, (uint)number), instructions.Select(i => ((int)i.Code, i.K))));
        Assert.InRange(instructions.Count, 1, 4096);
    }

    [Fact]
    public void WithHardeningFrom_Bubblewrap08_UsesBoth()
    {
        var help = "    --disable-userns   Disable further use\n    --seccomp FD   Load\n    --add-seccomp-fd FD   Load\n";

        var hardened = Command.WithHardeningFrom(help, out var missing);

        Assert.True(hardened.DisableUserNamespaces);
        Assert.Equal("--add-seccomp-fd", hardened.SeccompOption);
        Assert.Empty(missing);
    }

    [Fact]
    public void WithHardeningFrom_OldBubblewrap_SaysWhatIsMissing()
    {
        var hardened = Command.WithHardeningFrom("    --seccomp FD   Load and use seccomp rules from FD\n", out var missing);

        Assert.False(hardened.DisableUserNamespaces);
        Assert.Equal("--seccomp", hardened.SeccompOption);
        Assert.Contains("no --disable-userns", missing);
    }

    [Fact]
    public void Build_WithFilter_ShellOpensItOnDescriptor3ForBwrap()
    {
        var hardened = Command with { DisableUserNamespaces = true, SeccompOption = "--add-seccomp-fd" };

        var arguments = hardened.Build("/tmp/w/prog.py", "prog.py", SandboxLimits.Default, ["python3", "prog.py"], "/tmp/w/seccomp.bpf");

        Assert.Equal(["/bin/sh", "-c", "f=$1; shift; exec \"$@\" 3<\"$f\"", "sh", "/tmp/w/seccomp.bpf", "/usr/bin/bwrap"], arguments.Take(6));
        var bwrapOptions = arguments.SkipWhile(a => a != "/usr/bin/bwrap").ToList();
        Assert.Contains("--disable-userns", bwrapOptions);
        Assert.Equal("3", bwrapOptions[bwrapOptions.IndexOf("--add-seccomp-fd") + 1]);
        Assert.DoesNotContain("/tmp/w/seccomp.bpf", bwrapOptions); // the filter file is never bound into the sandbox
    }

    [Fact]
    public void Build_WithoutFilterSupport_NeitherShellNorOption()
    {
        var arguments = Command.Build("/tmp/w/prog.py", "prog.py", SandboxLimits.Default, ["python3", "prog.py"], "/tmp/w/seccomp.bpf");

        Assert.Equal("/usr/bin/bwrap", arguments[0]);
        Assert.DoesNotContain("--add-seccomp-fd", arguments);
        Assert.DoesNotContain("--disable-userns", arguments);
    }
}
