using System.Collections.Concurrent;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Selection;

/// <summary>A verifier for tests: passes texts that contain "ok", records what it judged, can be slowed per text.</summary>
internal sealed class ScriptedVerifier : IVerifier
{
    private int _inFlight;

    public string Name => "scripted";

    /// <summary>How long judging a text takes (default none).</summary>
    public Func<string, TimeSpan> DelayOf { get; init; } = _ => TimeSpan.Zero;

    public ConcurrentQueue<(string Text, VerificationContext Context)> Calls { get; } = new();

    public int MaxInFlight { get; private set; }

    public async ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
    {
        var now = Interlocked.Increment(ref _inFlight);
        lock (Calls)
        {
            MaxInFlight = Math.Max(MaxInFlight, now);
        }
        try
        {
            Calls.Enqueue((text, context));
            var delay = DelayOf(text);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }
            return text.Contains("ok", StringComparison.Ordinal) ? Verdict.Pass($"'{text}' is ok") : Verdict.Fail($"'{text}' is not ok");
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
