using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Cascades;

/// <summary>What a verifier may know about a tier's answer: its extracted answer, when a voting tier found one.</summary>
internal static class ResponseContext
{
    public static VerificationContext Of(StrategyResult result) =>
        result.Outcome.Answer is { } answer ? new VerificationContext { Answer = answer } : VerificationContext.Empty;
}
