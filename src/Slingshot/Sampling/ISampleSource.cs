namespace Slingshot;

/// <summary>
/// A model source: n samples of a conversation (or of a raw prompt) with given settings, whole or streamed. The one
/// contract between whatever produces samples (the local engine, a remote endpoint, any chat client, an ensemble) and
/// whatever consumes them (strategies, the evaluation harness, the server). Found on a chat client with
/// <c>GetService&lt;ISampleSource&gt;()</c>; callers check <see cref="Info"/> for capabilities instead of casting.
/// </summary>
/// <remarks>
/// A sample carries what the source really knows: token ids, seeds, per-sample usage and timing parts are null where the
/// source does not have them, never zero-filled. A source that cannot stream token by token (<see
/// cref="SampleSourceInfo.StreamsTokens"/> false) streams each whole sample as one update.
/// </remarks>
public interface ISampleSource
{
    /// <summary>What this source is and can do.</summary>
    SampleSourceInfo Info { get; }

    /// <summary>Draws all samples of <paramref name="request"/>.</summary>
    /// <exception cref="ArgumentException">The request is invalid (the message names the field).</exception>
    /// <exception cref="NotSupportedException">The request asks for something this source cannot do (see <see cref="Info"/>).</exception>
    Task<GenerationResult> SampleAsync(SampleRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Draws the samples of <paramref name="request"/> as a stream of updates: text as it becomes final, each sample's end
    /// (with the whole <see cref="Sample"/>), and last the whole <see cref="GenerationResult"/>. Leaving the enumeration
    /// early cancels the draw.
    /// </summary>
    IAsyncEnumerable<GenerationUpdate> StreamAsync(SampleRequest request, CancellationToken cancellationToken = default);
}
