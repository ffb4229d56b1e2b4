using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Sampling;

/// <summary>
/// Any <see cref="IChatClient"/> as an <see cref="ISampleGenerator"/>: n samples are n parallel calls (at most
/// <c>maxConcurrency</c> at once), sample i with seed + i, for chat clients that cannot do better (an endpoint
/// connected with <see cref="Remote.RemoteModel"/> is its own generator, with n and log-probabilities). Each call
/// pays for its prompt, so the result's prompt tokens are the sum over calls; token ids and log-probabilities are
/// not available through <see cref="IChatClient"/> and are left empty.
/// </summary>
public sealed class ChatClientSampleGenerator : ISampleGenerator
{
    private readonly IChatClient _client;
    private readonly int _maxConcurrency;

    /// <summary>Wraps <paramref name="client"/>; <paramref name="maxConcurrency"/> bounds calls in flight per request.</summary>
    public ChatClientSampleGenerator(IChatClient client, int maxConcurrency = 8)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _client = client;
        _maxConcurrency = maxConcurrency;
    }

    /// <inheritdoc />
    public async Task<GenerationResult> GenerateSamplesAsync(IEnumerable<ChatMessage> messages, int count, ChatOptions? options = null,
        int? topLogprobs = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var sampler = new RepeatedSampler(_client, new RepeatedSamplingOptions
        {
            Count = count,
            MaxConcurrency = Math.Min(count, _maxConcurrency),
            PreferSampleGenerator = false,
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await sampler.SampleAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var samples = result.Candidates.Select(c => new Sample
        {
            Index = c.Index,
            Text = c.Text,
            Tokens = [],
            FinishReason = c.FinishReason == ChatFinishReason.Length ? FinishReason.Length : FinishReason.Stop,
            Seed = c.Seed is { } seed ? unchecked((uint)seed) : 0,
            Usage = new TokenUsage((int)(c.Usage?.InputTokenCount ?? 0), (int)(c.Usage?.OutputTokenCount ?? 0)),
        }).ToList();
        var usage = new TokenUsage((int)(result.Usage.InputTokenCount ?? 0), (int)(result.Usage.OutputTokenCount ?? 0));
        var elapsed = clock.Elapsed;
        return new GenerationResult(samples, usage, new GenerationTimings(TimeSpan.Zero, elapsed, 0,
            elapsed.TotalSeconds > 0 ? usage.CompletionTokens / elapsed.TotalSeconds : 0, elapsed));
    }
}
