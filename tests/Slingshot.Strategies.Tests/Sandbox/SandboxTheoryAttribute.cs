using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

/// <summary>A theory that needs bubblewrap: skipped, with the reason, only on machines where it cannot run.</summary>
public sealed class SandboxTheoryAttribute : TheoryAttribute
{
    public SandboxTheoryAttribute()
    {
        if (!BubblewrapSandbox.IsAvailable(out var reason))
        {
            Skip = $"bubblewrap unavailable: {reason}";
        }
    }
}
