namespace Slingshot.Server.Endpoints;

/// <summary>
/// A sample source's stream whose first update has already arrived. The local engine checks a request (does the prompt
/// plus n x max_tokens fit the context, ...) when the stream is first read; reading that far before the response
/// starts lets a refused request still be a 400 with a body, as llama-server does, instead of a 200 whose SSE
/// stream breaks off. The headers then go out with the first token, after the prompt is decoded.
/// </summary>
internal sealed class AdmittedStream : IAsyncDisposable
{
    private readonly IAsyncEnumerator<GenerationUpdate> _updates;
    private bool _hasCurrent;

    private AdmittedStream(IAsyncEnumerator<GenerationUpdate> updates, bool hasCurrent)
    {
        _updates = updates;
        _hasCurrent = hasCurrent;
    }

    /// <summary>Submits <paramref name="request"/> and waits for its first update; the source's refusal is thrown here.</summary>
    public static Task<AdmittedStream> OpenAsync(ISampleSource source, SampleRequest request, CancellationToken cancellationToken) =>
        OpenAsync(source.StreamAsync(request, cancellationToken), cancellationToken);

    /// <summary>Starts <paramref name="stream"/> and waits for its first update; the source's refusal is thrown here.</summary>
    public static async Task<AdmittedStream> OpenAsync(IAsyncEnumerable<GenerationUpdate> stream, CancellationToken cancellationToken)
    {
        var updates = stream.GetAsyncEnumerator(cancellationToken);
        try
        {
            return new AdmittedStream(updates, await updates.MoveNextAsync().ConfigureAwait(false));
        }
        catch
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Every update, the first one included.</summary>
    public async IAsyncEnumerable<GenerationUpdate> ReadAllAsync()
    {
        while (_hasCurrent)
        {
            yield return _updates.Current;
            _hasCurrent = await _updates.MoveNextAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _updates.DisposeAsync();
}
