using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies;

/// <summary>Adds <see cref="RepeatedSamplingChatClient"/> to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class RepeatedSamplingChatClientBuilderExtensions
{
    /// <summary>Draws <paramref name="count"/> samples per request and attaches them to the response.</summary>
    public static ChatClientBuilder UseRepeatedSampling(this ChatClientBuilder builder, int count) =>
        builder.UseRepeatedSampling(new RepeatedSamplingOptions { Count = count });

    /// <summary>Draws samples per request as <paramref name="options"/> says and attaches them to the response.</summary>
    public static ChatClientBuilder UseRepeatedSampling(this ChatClientBuilder builder, RepeatedSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return builder.Use(innerClient => new RepeatedSamplingChatClient(innerClient, options));
    }
}
