using Slingshot.Strategies.Sandbox;

namespace Slingshot.Evaluation.Tests.Support;

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
