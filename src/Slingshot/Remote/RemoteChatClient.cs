using System.ClientModel;
using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Slingshot.Remote;

/// <summary>
/// A model behind an OpenAI-compatible endpoint as an <see cref="IChatClient"/> that is also a sample source
/// (<see cref="ISampleSource"/>, found through <c>GetService</c>), so every strategy, <c>eval</c> and the server use
/// it like a local model. n samples go out as one request with <c>n</c> where the endpoint honours it, as parallel
/// requests (seed + i each) otherwise; what the endpoint does is learnt from the draws and remembered (see
/// <see cref="RemoteModelOptions.UseNativeN"/>): an endpoint that ignores <c>n</c> gets one request per sample from then
/// on, and one that rejects an <c>n</c> above some limit (llama-server allows at most its slots) gets requests of the
/// largest <c>n</c> it has answered in full. Log-probabilities are requested when asked for and give each sample its
/// mean token log-probability. Create it with <see cref="RemoteModel.Connect"/>.
/// </summary>
/// <remarks>
/// Its samples carry what the endpoint reports and nothing invented: no token ids (null), the seed sent with the
/// sample's request (null when none was sent), usage per sample only when it can be attributed (a request of one choice,
/// or the choice's log-probability entries), and timings of the whole call only. It answers conversations, not raw
/// prompts, and streams each whole sample as one update.
/// </remarks>
public sealed class RemoteChatClient : DelegatingChatClient, ISampleSource
{
    private readonly EndpointResilienceHandler _handler;
    private readonly HttpClient _http;
    private int _ignoresN;
    private int _largestN = 1;
    private int _smallestRejectedN = int.MaxValue;

    internal RemoteChatClient(IChatClient inner, RemoteModelOptions options, EndpointResilienceHandler handler, HttpClient http)
        : base(inner)
    {
        Options = options;
        _handler = handler;
        _http = http;
        Info = new SampleSourceInfo
        {
            ModelId = options.Model,
            SupportsLogprobs = true,
            Price = options.Price,
        };
    }

    /// <inheritdoc />
    public SampleSourceInfo Info { get; }

    /// <summary>The endpoint, model, limits and prices this client was connected with.</summary>
    public RemoteModelOptions Options { get; }

    /// <summary>
    /// Whether the endpoint returns several choices for one request, as far as the draws so far have shown (or as
    /// <see cref="RemoteModelOptions.UseNativeN"/> decides): true once a request with n came back in full, false while
    /// it has only been ignored or rejected, null before any draw of several samples.
    /// </summary>
    public bool? SupportsNativeN => Options.UseNativeN ?? (Volatile.Read(ref _largestN) > 1 ? true
        : Volatile.Read(ref _ignoresN) == 1 || Volatile.Read(ref _smallestRejectedN) != int.MaxValue ? false : null);

    /// <summary>The most HTTP requests that were in flight to the endpoint at once (never above <see cref="RemoteModelOptions.MaxConcurrency"/>).</summary>
    public int PeakConcurrency => _handler.PeakInFlight;

    /// <inheritdoc />
    public async Task<GenerationResult> SampleAsync(SampleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        if (request.Messages is not { } messages)
        {
            throw new NotSupportedException($"The endpoint {Options.Url} is reached through its chat API, which takes messages, not a raw prompt.");
        }
        var options = request.Options;
        if (request.DefaultMaxTokens is { } cap && options?.MaxOutputTokens is null)
        {
            options = options?.Clone() ?? new ChatOptions();
            options.MaxOutputTokens = cap;
        }
        return await DrawAsync(new DrawRequest(messages, options, request.TopLogprobs), request.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<GenerationUpdate> StreamAsync(SampleRequest request, CancellationToken cancellationToken = default) =>
        WholeSampleStream.StreamAsync(this, request, cancellationToken);

    private async Task<GenerationResult> DrawAsync(DrawRequest request, int count, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var draw = Options.UseNativeN switch
        {
            false => await DrawRangeAsync(request, 0, count, 1, cancellationToken).ConfigureAwait(false),
            true => await DrawRangeAsync(request, 0, count, count, cancellationToken).ConfigureAwait(false),
            null when count == 1 || Volatile.Read(ref _ignoresN) == 1 =>
                await DrawRangeAsync(request, 0, count, 1, cancellationToken).ConfigureAwait(false),
            null when count >= Volatile.Read(ref _smallestRejectedN) =>
                await DrawRangeAsync(request, 0, count, Volatile.Read(ref _largestN), cancellationToken).ConfigureAwait(false),
            null => await DetectAsync(request, count, cancellationToken).ConfigureAwait(false),
        };
        return new GenerationResult(draw.Samples, draw.Usage, GenerationTimings.TotalOnly(clock.Elapsed)) { ModelId = draw.ModelId };
    }

    /// <summary>
    /// Asks for all samples in one request and learns from the answer what the endpoint does with n: all choices (n
    /// works up to this count), one choice (n ignored: the rest is drawn one request each, and so from now on), or a
    /// 400 (n too large: halve it, never below the largest n known to work, down to one sample per request).
    /// </summary>
    private async Task<Draw> DetectAsync(DrawRequest request, int count, CancellationToken cancellationToken)
    {
        var perRequest = count;
        var rejected = int.MaxValue;
        while (true)
        {
            try
            {
                var draw = await DrawRangeAsync(request, 0, count, perRequest, cancellationToken).ConfigureAwait(false);
                if (draw.FullChoices && perRequest > 1)
                {
                    InterlockedMax(ref _largestN, perRequest);
                }
                else if (!draw.FullChoices)
                {
                    Volatile.Write(ref _ignoresN, 1);
                }
                // Remembered only now that smaller requests have worked, so an unrelated bad request is not mistaken
                // for a limit on n.
                InterlockedMin(ref _smallestRejectedN, rejected);
                return draw;
            }
            catch (ClientResultException e) when (e.Status is 400 or 422 && perRequest > 1)
            {
                rejected = perRequest;
                perRequest = Math.Max(Volatile.Read(ref _largestN), perRequest / 2);
            }
        }
    }

    /// <summary>
    /// Samples <paramref name="first"/> to first + count - 1 in requests of at most <paramref name="perRequest"/>
    /// choices, sent together (the handler keeps at most MaxConcurrency on the wire); the request starting at sample i
    /// carries seed + i. Every request pays for its prompt, so prompt tokens add up over requests. Choices a request
    /// did not return are drawn one request each.
    /// </summary>
    private async Task<Draw> DrawRangeAsync(DrawRequest request, int first, int count, int perRequest, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task<Draw> DrawChunkAsync(int start, int size)
        {
            try
            {
                long? seed = request.Options?.Seed is { } s ? unchecked(s + start) : null;
                var response = await RequestAsync(request, size, seed, failed.Token).ConfigureAwait(false);
                var (choices, reported) = CompletionChoices.Read(response);
                var samples = choices.Take(size)
                    .Select((c, i) => ToSample(c, start + i, seed, size == 1 ? reported : ChoiceUsage(c, reported)))
                    .ToList();
                var usage = reported ?? default;
                // Some servers (llama-server) report one choice's completion tokens for all n: count what came back.
                var counted = size > 1 ? samples.Sum(x => x.Usage?.CompletionTokens ?? 0) : 0;
                if (counted > usage.CompletionTokens)
                {
                    usage = usage with { CompletionTokens = counted };
                }
                if (samples.Count == size)
                {
                    return new Draw(samples, usage, FullChoices: true, response.ModelId);
                }
                var rest = await DrawRangeAsync(request, start + samples.Count, size - samples.Count, 1, failed.Token).ConfigureAwait(false);
                return new Draw([.. samples, .. rest.Samples], usage + rest.Usage, FullChoices: false, response.ModelId ?? rest.ModelId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed request fails the draw: stop the others instead of paying for them.
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        perRequest = Math.Clamp(perRequest, 1, count);
        var chunks = Enumerable.Range(0, (count + perRequest - 1) / perRequest)
            .Select(c => DrawChunkAsync(first + c * perRequest, Math.Min(perRequest, count - c * perRequest)));
        var drawn = await Task.WhenAll(chunks).ConfigureAwait(false);
        return new Draw(drawn.SelectMany(d => d.Samples).ToList(),
            drawn.Aggregate(default(TokenUsage), (sum, d) => sum + d.Usage), drawn.All(d => d.FullChoices), drawn.Select(d => d.ModelId).FirstOrDefault(m => m is not null));
    }

    private Task<ChatResponse> RequestAsync(DrawRequest request, int n, long? seed, CancellationToken cancellationToken)
    {
        var topLogprobs = request.TopLogprobs;
        var callOptions = request.Options?.Clone() ?? new ChatOptions();
        callOptions.Seed = seed;
        var callerFactory = callOptions.RawRepresentationFactory;
        callOptions.RawRepresentationFactory = client =>
        {
            var raw = callerFactory?.Invoke(client) as OpenAI.Chat.ChatCompletionOptions ?? new OpenAI.Chat.ChatCompletionOptions();
            if (topLogprobs is { } top)
            {
                raw.IncludeLogProbabilities = true;
                if (top > 0)
                {
                    raw.TopLogProbabilityCount = top;
                }
            }
            if (n > 1)
            {
                // The OpenAI client has no public n; its JSON patch adds the field to the request body.
#pragma warning disable SCME0001
                raw.Patch.Set("$.n"u8, n);
#pragma warning restore SCME0001
            }
            return raw;
        };
        return InnerClient.GetResponseAsync(request.Conversation, callOptions, cancellationToken);
    }

    /// <summary>A sample as the endpoint returned it: no token ids, the seed its request carried (null when none was sent).</summary>
    private static Sample ToSample(CompletionChoice choice, int index, long? seed, TokenUsage? usage) => new()
    {
        Index = index,
        Text = choice.Text,
        Tokens = null,
        Logprobs = choice.Logprobs,
        FinishReason = choice.FinishReason,
        Seed = seed,
        Usage = usage,
    };

    /// <summary>
    /// One choice's usage when the endpoint reports only the request's total: the shared prompt and the choice's
    /// log-probability entries (one per token), or null when it returned none and the tokens cannot be attributed.
    /// </summary>
    private static TokenUsage? ChoiceUsage(CompletionChoice choice, TokenUsage? reported) =>
        choice.Logprobs is { } logprobs ? new TokenUsage(reported?.PromptTokens ?? 0, logprobs.Count) : null;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _http.Dispose();
        }
        base.Dispose(disposing);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private static void InterlockedMin(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value < seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private sealed record DrawRequest(IReadOnlyList<ChatMessage> Conversation, ChatOptions? Options, int? TopLogprobs);

    /// <param name="Samples">The samples, in index order.</param>
    /// <param name="Usage">Tokens over all requests.</param>
    /// <param name="FullChoices">Whether every request returned all the choices it asked for.</param>
    /// <param name="ModelId">The model the endpoint said answered, if it did.</param>
    private sealed record Draw(IReadOnlyList<Sample> Samples, TokenUsage Usage, bool FullChoices, string? ModelId);
}
