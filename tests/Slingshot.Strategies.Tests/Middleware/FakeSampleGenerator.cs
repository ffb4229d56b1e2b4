using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Tests.Middleware;

/// <summary>A sample generator for tests whose behavior is whatever its callback says.</summary>
internal sealed class FakeSampleGenerator : ISampleGenerator
{
    public Func<IEnumerable<ChatMessage>, int, ChatOptions?, int?, CancellationToken, Task<GenerationResult>>? GenerateSamplesAsyncCallback { get; set; }

    public Task<GenerationResult> GenerateSamplesAsync(IEnumerable<ChatMessage> messages, int count, ChatOptions? options = null,
        int? topLogprobs = null, CancellationToken cancellationToken = default) =>
        (GenerateSamplesAsyncCallback ?? throw new InvalidOperationException("No samples scripted."))(messages, count, options, topLogprobs, cancellationToken);

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
