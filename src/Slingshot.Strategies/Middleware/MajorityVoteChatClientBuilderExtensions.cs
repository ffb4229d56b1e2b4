using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies;

/// <summary>Adds <see cref="MajorityVoteChatClient"/> to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class MajorityVoteChatClientBuilderExtensions
{
    /// <summary>Answers each request with the majority answer of <paramref name="count"/> samples.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="extractor">Turns a sample's text into its canonical answer.</param>
    /// <param name="count">Samples per request (k).</param>
    public static ChatClientBuilder UseMajorityVote(this ChatClientBuilder builder, IAnswerExtractor extractor, int count) =>
        builder.UseMajorityVote(extractor, new RepeatedSamplingOptions { Count = count });

    /// <summary>Answers each request with the majority answer of samples drawn as <paramref name="options"/> says.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="extractor">Turns a sample's text into its canonical answer.</param>
    /// <param name="options">How many samples and how.</param>
    public static ChatClientBuilder UseMajorityVote(this ChatClientBuilder builder, IAnswerExtractor extractor, RepeatedSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return builder.Use(innerClient => new MajorityVoteChatClient(innerClient, extractor, options));
    }
}
