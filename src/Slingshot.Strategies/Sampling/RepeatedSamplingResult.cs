using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Sampling;

/// <summary>The k samples of one prompt and what they cost together.</summary>
/// <param name="Candidates">The samples in index order.</param>
/// <param name="Usage">
/// Tokens over every underlying call, as the client reported them: a forked draw counts its prompt once,
/// parallel calls count it once per call.
/// </param>
/// <param name="ModelId">The model that produced the samples, when the client said.</param>
/// <param name="UsedSampleGenerator">Whether one forked call through <see cref="ISampleGenerator"/> drew the samples.</param>
public sealed record RepeatedSamplingResult(IReadOnlyList<Candidate> Candidates, UsageDetails Usage, string? ModelId, bool UsedSampleGenerator);
