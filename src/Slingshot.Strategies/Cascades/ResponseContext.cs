using Microsoft.Extensions.AI;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Cascades;

/// <summary>What a verifier may know about a live response: its extracted answer, when a voting tier set one.</summary>
internal static class ResponseContext
{
    public static VerificationContext Of(ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(StrategyResponseProperties.Answer, out var answer) == true && answer is string text
            ? new VerificationContext { Answer = text }
            : VerificationContext.Empty;
}
