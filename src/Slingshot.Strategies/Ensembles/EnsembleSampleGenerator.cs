using System.Diagnostics;
using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies.Ensembles;

/// <summary>
/// Several models as one <see cref="ISampleGenerator"/>: of k samples each member draws its share (by weight,
/// the remainder going to the first members), all members at once, and the samples come back together, member
/// by member, numbered 0..k-1. Strategies that vote or verify over samples (majority vote, the evaluation
/// harness) then work over the ensemble unchanged. A member that is a local engine forks its share from one
/// prompt; any other client makes one call per sample. With a seed, member m's samples use seed + (index of its
/// first sample) + i, so no two samples of the ensemble share a seed and a rerun draws the same ones.
/// </summary>
public sealed class EnsembleSampleGenerator : ISampleGenerator
{
    private readonly ISampleGenerator[] _generators;

    /// <summary>Creates an ensemble of <paramref name="members"/> (at least one; not owned).</summary>
    public EnsembleSampleGenerator(IEnumerable<EnsembleMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        Members = members.ToList();
        if (Members.Count == 0)
        {
            throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        }
        foreach (var member in Members)
        {
            member.Validate();
        }
        if (Members.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Ensemble member '{twice.Key}' is listed twice.", nameof(members));
        }
        _generators = Members.Select(m => m.Client.GetService<ISampleGenerator>() ?? new ChatClientSampleGenerator(m.Client)).ToArray();
    }

    /// <summary>The members, in the order their samples appear.</summary>
    public IReadOnlyList<EnsembleMember> Members { get; }

    /// <summary>
    /// How many of <paramref name="count"/> samples each member draws: proportional to the weights, rounded down,
    /// and the samples left over go one each to the members with the largest remainders (earlier members first on ties).
    /// </summary>
    public IReadOnlyList<int> Shares(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var total = Members.Sum(m => m.Weight);
        var exact = Members.Select(m => count * m.Weight / total).ToArray();
        var shares = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var left = count - shares.Sum();
        foreach (var member in Enumerable.Range(0, shares.Length).OrderByDescending(i => exact[i] - shares[i]).ThenBy(i => i).Take(left))
        {
            shares[member]++;
        }
        return shares;
    }

    /// <summary>Which member drew sample <paramref name="index"/> of a draw of <paramref name="count"/>.</summary>
    public EnsembleMember MemberOf(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        var shares = Shares(count);
        for (var m = 0; m < shares.Count; index -= shares[m], m++)
        {
            if (index < shares[m])
            {
                return Members[m];
            }
        }
        throw new UnreachableException();
    }

    /// <inheritdoc />
    public async Task<GenerationResult> GenerateSamplesAsync(IEnumerable<ChatMessage> messages, int count, ChatOptions? options = null,
        int? topLogprobs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var shares = Shares(count);
        var clock = Stopwatch.StartNew();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var draws = new List<(int First, Task<GenerationResult> Draw)>();
        var first = 0;
        for (var m = 0; m < shares.Count; first += shares[m], m++)
        {
            if (shares[m] == 0)
            {
                continue;
            }
            var memberOptions = options?.Clone();
            if (options?.Seed is { } seed)
            {
                memberOptions!.Seed = unchecked(seed + first);
            }
            draws.Add((first, DrawAsync(_generators[m], shares[m], memberOptions)));
        }
        await Task.WhenAll(draws.Select(d => d.Draw)).ConfigureAwait(false);

        async Task<GenerationResult> DrawAsync(ISampleGenerator generator, int share, ChatOptions? memberOptions)
        {
            try
            {
                return await generator.GenerateSamplesAsync(conversation, share, memberOptions, topLogprobs, failed.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed member fails the draw: stop the others instead of paying for them.
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        var samples = new List<Sample>(count);
        var usage = new TokenUsage(0, 0);
        var firstToken = TimeSpan.MaxValue;
        foreach (var (start, draw) in draws)
        {
            var result = draw.Result;
            samples.AddRange(result.Samples.Select(s => s with { Index = start + s.Index }));
            usage = new TokenUsage(usage.PromptTokens + result.Usage.PromptTokens, usage.CompletionTokens + result.Usage.CompletionTokens);
            firstToken = result.Timings.TimeToFirstToken < firstToken ? result.Timings.TimeToFirstToken : firstToken;
        }
        var elapsed = clock.Elapsed;
        return new GenerationResult(samples, usage, new GenerationTimings(TimeSpan.Zero, firstToken, 0,
            elapsed.TotalSeconds > 0 ? usage.CompletionTokens / elapsed.TotalSeconds : 0, elapsed));
    }
}
