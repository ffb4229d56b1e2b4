using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Ensembles;

/// <summary>
/// Several models as one <see cref="ISampleSource"/>: of k samples each member draws its share (by weight, the
/// remainder going to the first members), all members at once, and the samples come back together, member by member,
/// numbered 0..k-1. Strategies that vote or verify over samples (majority vote, the evaluation harness) then work over
/// the ensemble unchanged. A member's samples come from its own source when it has one (a local engine forks its share
/// from one prompt, an endpoint sends <c>n</c>), from one call per sample otherwise. With a seed, member m's samples use
/// seed + (index of its first sample) + i, so no two samples of the ensemble share a seed and a rerun draws the same ones.
/// </summary>
/// <remarks>
/// Usage is the members' together; timings hold the total and the earliest first token a member measured. It takes raw
/// prompts and log-probabilities when every member does, and streams each whole sample as one update.
/// </remarks>
public sealed class EnsembleSampleSource : ISampleSource
{
    private readonly ISampleSource[] _sources;

    /// <summary>Creates an ensemble of <paramref name="members"/> (at least one; not owned).</summary>
    /// <param name="members">The models.</param>
    /// <param name="modelId">Name reported as the model; default "ensemble(a,b,...)".</param>
    public EnsembleSampleSource(IEnumerable<EnsembleMember> members, string? modelId = null)
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
        _sources = Members.Select(m => m.Client.GetService<ISampleSource>() ?? new ChatClientSampleSource(m.Client)).ToArray();
        Info = new SampleSourceInfo
        {
            ModelId = modelId ?? $"ensemble({string.Join(",", Members.Select(m => m.Name))})",
            SupportsRawPrompt = _sources.All(s => s.Info.SupportsRawPrompt),
            SupportsLogprobs = _sources.All(s => s.Info.SupportsLogprobs),
        };
    }

    /// <inheritdoc />
    public SampleSourceInfo Info { get; }

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
    public async Task<GenerationResult> SampleAsync(SampleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var shares = Shares(request.Count);
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
            var memberOptions = request.Options?.Clone();
            if (request.Options?.Seed is { } seed)
            {
                memberOptions!.Seed = unchecked(seed + first);
            }
            draws.Add((first, DrawAsync(_sources[m], request with { Count = shares[m], Options = memberOptions })));
        }
        await Task.WhenAll(draws.Select(d => d.Draw)).ConfigureAwait(false);

        async Task<GenerationResult> DrawAsync(ISampleSource source, SampleRequest share)
        {
            try
            {
                return await source.SampleAsync(share, failed.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed member fails the draw: stop the others instead of paying for them.
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        var samples = new List<Sample>(request.Count);
        var usage = default(TokenUsage);
        TimeSpan? firstToken = null;
        foreach (var (start, draw) in draws)
        {
            var result = draw.Result;
            samples.AddRange(result.Samples.Select(s => s with { Index = start + s.Index }));
            usage += result.Usage;
            if (result.Timings.TimeToFirstToken is { } memberFirst && (firstToken is null || memberFirst < firstToken))
            {
                firstToken = memberFirst;
            }
        }
        return new GenerationResult(samples, usage, GenerationTimings.TotalOnly(clock.Elapsed) with { TimeToFirstToken = firstToken });
    }

    /// <inheritdoc />
    public IAsyncEnumerable<GenerationUpdate> StreamAsync(SampleRequest request, CancellationToken cancellationToken = default) =>
        WholeSampleStream.StreamAsync(this, request, cancellationToken);
}
