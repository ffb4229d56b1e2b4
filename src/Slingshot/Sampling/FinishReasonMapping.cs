using Microsoft.Extensions.AI;

namespace Slingshot;

/// <summary>The one mapping between the core <see cref="FinishReason"/> and Microsoft.Extensions.AI's <see cref="ChatFinishReason"/>.</summary>
public static class FinishReasonMapping
{
    /// <summary>The finish reason of a sample the engine stopped because the request was cancelled ("cancelled").</summary>
    public static ChatFinishReason Cancelled { get; } = new("cancelled");

    /// <summary><paramref name="reason"/> as a <see cref="ChatFinishReason"/>.</summary>
    public static ChatFinishReason ToChatFinishReason(this FinishReason reason) => reason switch
    {
        FinishReason.Stop => ChatFinishReason.Stop,
        FinishReason.Length => ChatFinishReason.Length,
        _ => Cancelled,
    };

    /// <summary>
    /// <paramref name="reason"/> as a <see cref="FinishReason"/>: "length" and "cancelled" map to theirs; anything else
    /// (stop, a content filter, tool calls, or no reason given) ended the sample normally and maps to <see cref="FinishReason.Stop"/>.
    /// </summary>
    public static FinishReason ToFinishReason(this ChatFinishReason? reason) => reason is { } given ? given.ToFinishReason() : FinishReason.Stop;

    /// <summary><paramref name="reason"/> as a <see cref="FinishReason"/> (see the nullable overload).</summary>
    public static FinishReason ToFinishReason(this ChatFinishReason reason) =>
        reason == ChatFinishReason.Length ? FinishReason.Length
        : reason == Cancelled ? FinishReason.Cancelled
        : FinishReason.Stop;
}
