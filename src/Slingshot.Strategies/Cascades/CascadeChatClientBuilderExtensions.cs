using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Cascades;

/// <summary><see cref="ChatClientBuilder"/> extensions for <see cref="CascadeChatClient"/>.</summary>
public static class CascadeChatClientBuilderExtensions
{
    /// <summary>
    /// Makes the client built so far the first tier of a cascade (treated as <paramref name="firstTier"/> says)
    /// followed by <paramref name="nextTiers"/> in order.
    /// </summary>
    public static ChatClientBuilder UseCascade(this ChatClientBuilder builder, CascadeTierOptions firstTier, params IEnumerable<CascadeTier> nextTiers)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(firstTier);
        ArgumentNullException.ThrowIfNull(nextTiers);
        var tiers = nextTiers.ToList();
        return builder.Use(inner => new CascadeChatClient(inner, firstTier, tiers));
    }

    /// <summary>Two tiers: sends a request on to <paramref name="next"/> when <paramref name="escalateWhen"/> finds the answer so far not good enough.</summary>
    public static ChatClientBuilder UseCascade(this ChatClientBuilder builder, IChatClient next, IEscalationTest escalateWhen)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(escalateWhen);
        return builder.UseCascade(new CascadeTierOptions { EscalateWhen = escalateWhen }, new CascadeTier(next, new CascadeTierOptions()));
    }
}
