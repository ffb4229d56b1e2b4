using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies.Ensembles;

/// <summary>Builds a majority vote over an ensemble of models.</summary>
public static class EnsembleChatClientBuilderExtensions
{
    /// <summary>
    /// A chat client that answers each request with the majority answer of <paramref name="count"/> samples drawn
    /// from all <paramref name="members"/> together (each its share).
    /// </summary>
    public static IChatClient AsEnsembleVote(this IEnumerable<EnsembleMember> members, IAnswerExtractor extractor, int count, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(extractor);
        return new ChatClientBuilder(new EnsembleChatClient(members, modelId))
            .UseMajorityVote(extractor, new RepeatedSamplingOptions { Count = count })
            .Build();
    }
}
