using System.ClientModel;
using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Remote;

/// <summary>
/// A model behind an OpenAI-compatible endpoint as an <see cref="IChatClient"/> that also draws n samples
/// (<see cref="ISampleGenerator"/>, found through <c>GetService</c>), so every strategy, <c>eval</c> and the server use
/// it like a local model. n samples go out as one request with <c>n</c> where the endpoint honours it, as parallel
/// requests (seed + i each) otherwise; what the endpoint does is learnt from the draws and remembered (see
/// <see cref="RemoteModelOptions.UseNativeN"/>): an endpoint that ignores <c>n</c> gets one request per sample from then
/// on, and one that rejects an <c>n</c> above some limit (llama-server allows at most its slots) gets requests of the
/// largest <c>n</c> it has answered in full. Log-probabilities are requested when asked for and give each sample its
/// mean token log-probability. Create it with <see cref="RemoteModel.Connect"/>.
/// </summary>
public sealed class RemoteChatClient : DelegatingChatClient, ISampleGenerator
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
    }

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
    public async Task<GenerationResult> GenerateSamplesAsync(IEnumerable<ChatMessage> messages, int count, ChatOptions? options = null,
        int? topLogprobs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        // Parallel requests enumerate the conversation concurrently; a lazy sequence must be read once.
        var request = new DrawRequest(messages as IReadOnlyList<ChatMessage> ?? messages.ToList(), options, topLogprobs);
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
        var elapsed = clock.Elapsed;
        var usage = draw.Usage;
        return new GenerationResult(draw.Samples, usage, new GenerationTimings(TimeSpan.Zero, elapsed, 0,
            elapsed.TotalSeconds > 0 ? usage.CompletionTokens / elapsed.TotalSeconds : 0, elapsed));
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
                var (choices, usage) = CompletionChoices.Read(response);
                var samples = choices.Take(size)
                    .Select((c, i) => ToSample(c, start + i, SampleSeed(seed), size == 1 ? usage : new TokenUsage(usage.PromptTokens, TokenCount(c))))
                    .ToList();
                // Some servers (llama-server) report one choice's completion tokens for all n: count what came back.
                var counted = size > 1 ? samples.Sum(x => x.Usage.CompletionTokens) : 0;
                if (counted > usage.CompletionTokens)
                {
                    usage = usage with { CompletionTokens = counted };
                }
                if (samples.Count == size)
                {
                    return new Draw(samples, usage, FullChoices: true);
                }
                var rest = await DrawRangeAsync(request, start + samples.Count, size - samples.Count, 1, failed.Token).ConfigureAwait(false);
                return new Draw([.. samples, .. rest.Samples], Add(usage, rest.Usage), FullChoices: false);
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
            drawn.Aggregate(new TokenUsage(), (sum, d) => Add(sum, d.Usage)), drawn.All(d => d.FullChoices));
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

    private static Sample ToSample(CompletionChoice choice, int index, uint seed, TokenUsage usage) => new()
    {
        Index = index,
        Text = choice.Text,
        Tokens = [],
        Logprobs = choice.Logprobs,
        FinishReason = choice.FinishReason,
        Seed = seed,
        Usage = usage,
    };

    /// <summary>A choice's completion tokens when the endpoint reports only the total: its log-probability entries, if any.</summary>
    private static int TokenCount(CompletionChoice choice) => choice.Logprobs?.Count ?? 0;

    private static TokenUsage Add(TokenUsage a, TokenUsage b) =>
        new(a.PromptTokens + b.PromptTokens, a.CompletionTokens + b.CompletionTokens);

    private static uint SampleSeed(long? seed) => seed is { } s ? unchecked((uint)s) : 0;

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
    private sealed record Draw(IReadOnlyList<Sample> Samples, TokenUsage Usage, bool FullChoices);
}
