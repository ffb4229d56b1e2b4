namespace Slingshot.Strategies.Sandbox;

/// <summary>Chooses how model-written code runs on this machine.</summary>
public static class CodeSandbox
{
    /// <summary>
    /// The bubblewrap sandbox when it works here; otherwise the unconfined runner, but only when
    /// <paramref name="allowUnsafe"/> says the user accepts that.
    /// </summary>
    /// <param name="allowUnsafe">Whether running code without isolation is acceptable (<c>--unsafe-run-code</c>).</param>
    /// <param name="pythonPath">The interpreter; null for each sandbox's default.</param>
    /// <exception cref="SandboxUnavailableException">bubblewrap cannot run and <paramref name="allowUnsafe"/> is false.</exception>
    public static ICodeSandbox Create(bool allowUnsafe, string? pythonPath = null)
    {
        var available = BubblewrapSandbox.IsAvailable(out var reason);
        return Create(allowUnsafe, available ? null : reason, pythonPath);
    }

    /// <summary>The decision itself, with the availability given, so it can be tested on any machine.</summary>
    /// <param name="allowUnsafe">Whether running code without isolation is acceptable.</param>
    /// <param name="unavailableReason">Why bubblewrap cannot run, or null when it can.</param>
    /// <param name="pythonPath">The interpreter; null for each sandbox's default.</param>
    internal static ICodeSandbox Create(bool allowUnsafe, string? unavailableReason, string? pythonPath)
    {
        if (unavailableReason is null)
        {
            return new BubblewrapSandbox(pythonPath);
        }
        if (allowUnsafe)
        {
            return new UnsafeProcessSandbox(pythonPath);
        }
        throw new SandboxUnavailableException(unavailableReason);
    }
}
