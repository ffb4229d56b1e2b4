using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies;

/// <summary>Adds <see cref="VerifierChatClient"/> to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class VerifierChatClientBuilderExtensions
{
    /// <summary>Answers each request with the first of <paramref name="count"/> samples that <paramref name="verifier"/> passes.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="verifier">The judge of each sample.</param>
    /// <param name="count">Samples per request (k).</param>
    /// <param name="context">What the verifier knows besides the text; default none.</param>
    public static ChatClientBuilder UseVerifier(this ChatClientBuilder builder, IVerifier verifier, int count, VerificationContext? context = null) =>
        builder.UseVerifier(verifier, new VerifierChatClientOptions
        {
            Sampling = new RepeatedSamplingOptions { Count = count },
            Context = context ?? VerificationContext.Empty,
        });

    /// <summary>Answers each request with the first sample that <paramref name="verifier"/> passes, as <paramref name="options"/> say.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="verifier">The judge of each sample.</param>
    /// <param name="options">Sampling, context and the behavior when none pass.</param>
    public static ChatClientBuilder UseVerifier(this ChatClientBuilder builder, IVerifier verifier, VerifierChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return builder.Use(innerClient => new VerifierChatClient(innerClient, verifier, options));
    }
}
