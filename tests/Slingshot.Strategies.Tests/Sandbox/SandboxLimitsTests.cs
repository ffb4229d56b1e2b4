using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

public sealed class SandboxLimitsTests
{
    [Fact]
    public void Default_MemoryOfEveryProcessTogether_IsAtMost8GiB()
    {
        var limits = SandboxLimits.Default;

        // RLIMIT_AS holds per process, so a program that forks to the process limit can hold this much.
        var worstCase = limits.MaxProcesses * limits.MemoryBytes;

        Assert.Equal(8, limits.MaxProcesses);
        Assert.True(worstCase <= 8L << 30, $"{worstCase} bytes");
    }
}
