using Microsoft.Extensions.AI;

namespace Slingshot;

/// <summary>The one mapping between the core <see cref="TokenUsage"/> and Microsoft.Extensions.AI's <see cref="UsageDetails"/>.</summary>
public static class UsageMapping
{
    /// <summary><paramref name="usage"/> as <see cref="UsageDetails"/> (input, output and total token counts).</summary>
    public static UsageDetails ToUsageDetails(this TokenUsage usage) => new()
    {
        InputTokenCount = usage.PromptTokens,
        OutputTokenCount = usage.CompletionTokens,
        TotalTokenCount = usage.TotalTokens,
    };

    /// <summary><paramref name="usage"/> as <see cref="TokenUsage"/>; a count it does not report is 0.</summary>
    public static TokenUsage ToTokenUsage(this UsageDetails usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return new TokenUsage(checked((int)(usage.InputTokenCount ?? 0)), checked((int)(usage.OutputTokenCount ?? 0)));
    }
}
