using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Slingshot;

/// <summary>
/// Any <see cref="IChatClient"/> as an <see cref="ISampleSource"/>: n samples are n parallel
/// <see cref="IChatClient.GetResponseAsync"/> calls (at most <c>maxConcurrency</c> at once), call i with seed
/// <c>seed + i</c> when the request sets a seed, so the samples differ and a rerun reproduces them. For chat clients
/// that cannot do better; the local engine and remote endpoints are sources of their own (with n, raw prompts and
/// log-probabilities).
/// </summary>
/// <remarks>
/// Each call pays for its prompt, so the result's prompt tokens are the sum over calls; each sample's usage is its
/// call's, as the client reported it (null when it reported none). Token ids and log-probabilities are not available
/// through <see cref="IChatClient"/> and stay null (a request's <see cref="SampleRequest.TopLogprobs"/> is ignored);
/// timings hold only the total. It streams each whole sample as one update.
/// </remarks>
public sealed class ChatClientSampleSource : ISampleSource
{
    private readonly IChatClient _client;
    private readonly int _maxConcurrency;

    /// <summary>Wraps <paramref name="client"/> (not owned); <paramref name="maxConcurrency"/> bounds calls in flight per request.</summary>
    public ChatClientSampleSource(IChatClient client, int maxConcurrency = 8)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _client = client;
        _maxConcurrency = maxConcurrency;
        Info = new SampleSourceInfo { ModelId = client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "chat-client" };
    }

    /// <inheritdoc />
    public SampleSourceInfo Info { get; }

    /// <inheritdoc />
    public async Task<GenerationResult> SampleAsync(SampleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        if (request.Messages is not { } conversation)
        {
            throw new NotSupportedException("A chat client answers conversations, not raw prompts; send messages.");
        }
        var clock = Stopwatch.StartNew();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(Math.Min(request.Count, _maxConcurrency));
        var baseSeed = request.Options?.Seed;

        async Task<ChatResponse> DrawAsync(int index)
        {
            await gate.WaitAsync(failed.Token).ConfigureAwait(false);
            try
            {
                var options = request.Options?.Clone();
                if (baseSeed is { } seed)
                {
                    options!.Seed = unchecked(seed + index);
                }
                if (request.DefaultMaxTokens is { } cap)
                {
                    options ??= new ChatOptions();
                    options.MaxOutputTokens ??= cap;
                }
                return await _client.GetResponseAsync(conversation, options, failed.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed sample fails the draw: stop the others instead of paying for them.
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                gate.Release();
            }
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, request.Count).Select(DrawAsync)).ConfigureAwait(false);
        var samples = responses.Select((response, i) => new Sample
        {
            Index = i,
            Text = response.Text,
            Tokens = null,
            FinishReason = response.FinishReason.ToFinishReason(),
            Seed = baseSeed is { } s ? unchecked(s + i) : null,
            Usage = response.Usage?.ToTokenUsage(),
        }).ToList();
        var usage = samples.Aggregate(default(TokenUsage), (sum, sample) => sum + (sample.Usage ?? default));
        return new GenerationResult(samples, usage, GenerationTimings.TotalOnly(clock.Elapsed))
        {
            ModelId = responses.Select(r => r.ModelId).FirstOrDefault(id => id is not null),
        };
    }

    /// <inheritdoc />
    public IAsyncEnumerable<GenerationUpdate> StreamAsync(SampleRequest request, CancellationToken cancellationToken = default) =>
        WholeSampleStream.StreamAsync(this, request, cancellationToken);
}
