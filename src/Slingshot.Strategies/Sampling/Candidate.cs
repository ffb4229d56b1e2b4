using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Sampling;

/// <summary>One of the k samples a <see cref="RepeatedSampler"/> drew for a prompt.</summary>
/// <param name="Index">Position among the samples, 0-based; selection breaks ties by the lowest index.</param>
/// <param name="Text">The sample's reply text.</param>
/// <param name="MeanLogprob">Mean log-probability of its tokens, when the sampler reported them (best-of-n needs it).</param>
/// <param name="FinishReason">Why the sample ended, when the client said.</param>
/// <param name="Seed">The seed the sample was drawn with, when known.</param>
/// <param name="Usage">
/// This sample's tokens. When the samples were forked from one decoded prompt every candidate reports the
/// shared prompt, so summing candidates over-counts input; <see cref="RepeatedSamplingResult.Usage"/> is the total.
/// </param>
public sealed record Candidate(int Index, string Text, double? MeanLogprob, ChatFinishReason? FinishReason, long? Seed, UsageDetails? Usage);
