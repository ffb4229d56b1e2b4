namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// No isolating sandbox can run here and running model-written code without isolation was not allowed.
/// The message is one line that says why and what to do about it.
/// </summary>
public sealed class SandboxUnavailableException : SlingshotException
{
    /// <summary>Creates the exception for the reason the isolating sandbox cannot run.</summary>
    /// <param name="reason">Why the sandbox is unavailable ("bwrap not found on PATH").</param>
    public SandboxUnavailableException(string reason)
        : base($"sandbox unavailable ({reason}) — install bubblewrap, or pass --unsafe-run-code to run model-written code without isolation")
    {
        Reason = reason;
    }

    /// <summary>Why the sandbox is unavailable, without the advice.</summary>
    public string Reason { get; }
}
