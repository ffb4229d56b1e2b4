using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

/// <summary>A fact that needs bubblewrap: skipped, with the reason, only on machines where it cannot run.</summary>
public sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute()
    {
        if (!BubblewrapSandbox.IsAvailable(out var reason))
        {
            Skip = $"bubblewrap unavailable: {reason}";
        }
    }
}

/// <summary>
/// Sandbox tests run one at a time, after the parallel ones: they measure wall time and count host
/// processes, which other tests running at once would disturb.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxCollection
{
    public const string Name = "Sandbox";
}
