using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Tests.Middleware;

/// <summary>A sample source for tests whose behavior is whatever its callback says.</summary>
internal sealed class FakeSampleSource : ISampleSource
{
    public Func<SampleRequest, CancellationToken, Task<GenerationResult>>? SampleAsyncCallback { get; set; }

    public SampleSourceInfo Info { get; set; } = new() { ModelId = "fake-source", SupportsLogprobs = true };

    public Task<GenerationResult> SampleAsync(SampleRequest request, CancellationToken cancellationToken = default) =>
        (SampleAsyncCallback ?? throw new InvalidOperationException("No samples scripted."))(request, cancellationToken);

    public IAsyncEnumerable<GenerationUpdate> StreamAsync(SampleRequest request, CancellationToken cancellationToken = default) =>
        WholeSampleStream.StreamAsync(this, request, cancellationToken);

    /// <summary>
    /// A sample as a chat client would report it (no tokens), whose mean log-probability is <paramref name="meanLogprob"/>:
    /// one log-probability entry of that value, or none when it is null.
    /// </summary>
    public static Sample Sample(int index, string text, double? meanLogprob = null, long? seed = null) => new()
    {
        Index = index,
        Text = text,
        Tokens = null,
        Logprobs = meanLogprob is { } mean ? [new TokenLogprob(new TokenProbability(-1, text, (float)mean), [])] : null,
        FinishReason = FinishReason.Stop,
        Seed = seed,
    };

    /// <summary>A generation result of <paramref name="texts"/> from a 7-token prompt, one token per character.</summary>
    public static GenerationResult Result(IReadOnlyList<string> texts, uint seed, IReadOnlyList<float?>? logprobs = null)
    {
        var samples = texts.Select((text, i) => new Sample
        {
            Index = i,
            Text = text,
            Tokens = text.Select(c => (int)c).ToList(),
            Logprobs = logprobs?[i] is { } lp ? text.Select(c => new TokenLogprob(new TokenProbability(c, c.ToString(), lp), [])).ToList() : null,
            FinishReason = FinishReason.Stop,
            Seed = seed + (uint)i,
            Usage = new TokenUsage(7, text.Length),
        }).ToList();
        return new GenerationResult(samples, new TokenUsage(7, texts.Sum(t => t.Length)), default);
    }
}
