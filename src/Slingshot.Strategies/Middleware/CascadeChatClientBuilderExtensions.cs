using Microsoft.Extensions.AI;

namespace Slingshot.Strategies;

/// <summary><see cref="ChatClientBuilder"/> extensions for <see cref="CascadeChatClient"/>.</summary>
public static class CascadeChatClientBuilderExtensions
{
    /// <summary>Sends a request on to <paramref name="next"/> when <paramref name="escalateWhen"/> finds a reason in the answer so far.</summary>
    public static ChatClientBuilder UseCascade(this ChatClientBuilder builder, IChatClient next, Func<ChatResponse, string?> escalateWhen)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new CascadeChatClient(inner, next, escalateWhen));
    }
}
