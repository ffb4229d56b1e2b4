using System.Runtime.CompilerServices;

namespace Slingshot;

/// <summary>Streaming for a source that only ever sees whole samples: each sample is one update, then the result.</summary>
public static class WholeSampleStream
{
    /// <summary>
    /// Draws <paramref name="request"/> through <see cref="ISampleSource.SampleAsync"/> and yields, for each sample in
    /// index order, one update carrying its whole text, finish reason and <see cref="Sample"/>, then the result.
    /// </summary>
    public static async IAsyncEnumerable<GenerationUpdate> StreamAsync(ISampleSource source, SampleRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = await source.SampleAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (var sample in result.Samples)
        {
            yield return new GenerationUpdate { SampleIndex = sample.Index, Text = sample.Text, FinishReason = sample.FinishReason, Sample = sample };
        }
        yield return new GenerationUpdate { SampleIndex = -1, Result = result };
    }
}
