using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Sampling;

/// <summary>The k samples of one prompt and what they cost together.</summary>
/// <param name="Candidates">The samples in index order.</param>
/// <param name="Usage">
/// Tokens over every underlying call, as the source reported them: a forked draw counts its prompt once,
/// parallel calls count it once per call.
/// </param>
/// <param name="ModelId">The model that produced the samples, when the source said.</param>
/// <param name="UsedSampleSource">
/// Whether the client's own <see cref="ISampleSource"/> drew the samples (one call: forked by the engine, or <c>n</c> at an
/// endpoint); false when they were separate calls through <see cref="IChatClient.GetResponseAsync"/>.
/// </param>
public sealed record RepeatedSamplingResult(IReadOnlyList<Sample> Candidates, UsageDetails Usage, string? ModelId, bool UsedSampleSource)
{
    /// <summary>The strategy result that answers with candidate <paramref name="index"/>, every candidate kept in <paramref name="outcome"/>.</summary>
    internal StrategyResult Select(int index, StrategyOutcome outcome) =>
        new(Candidates[index], Usage, outcome with { Candidates = Candidates, SelectedIndex = Candidates[index].Index }, ModelId);
}
