using System.ClientModel;
using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Remote;

/// <summary>
/// A model behind an OpenAI-compatible endpoint as an <see cref="IChatClient"/> that also draws n samples
/// (<see cref="ISampleGenerator"/>, found through <c>GetService</c>), so every strategy, <c>eval</c> and the server use
/// it like a local model. n samples go out as one request with <c>n</c> where the endpoint honours it, as parallel
/// requests (seed + i each) otherwise; which one is learnt on the first draw and remembered (see
/// <see cref="RemoteModelOptions.UseNativeN"/>). Log-probabilities are requested when asked for and give each sample
/// its mean token log-probability. Create it with <see cref="RemoteModel.Connect"/>.
/// </summary>
public sealed class RemoteChatClient : DelegatingChatClient, ISampleGenerator
{
    private const int Unknown = 0, Supported = 1, Unsupported = -1;

    private readonly EndpointResilienceHandler _handler;
    private readonly HttpClient _http;
    private int _nativeN;

    internal RemoteChatClient(IChatClient inner, RemoteModelOptions options, EndpointResilienceHandler handler, HttpClient http)
        : base(inner)
    {
        Options = options;
        _handler = handler;
        _http = http;
        _nativeN = options.UseNativeN switch { true => Supported, false => Unsupported, null => Unknown };
    }

    /// <summary>The endpoint, model, limits and prices this client was connected with.</summary>
    public RemoteModelOptions Options { get; }

    /// <summary>Whether the endpoint returns n choices for one request: null until a draw of several samples has found out.</summary>
    public bool? SupportsNativeN => Volatile.Read(ref _nativeN) switch { Supported => true, Unsupported => false, _ => null };

    /// <summary>The most HTTP requests that were in flight to the endpoint at once (never above <see cref="RemoteModelOptions.MaxConcurrency"/>).</summary>
    public int PeakConcurrency => _handler.PeakInFlight;

    /// <inheritdoc />
    public async Task<GenerationResult> GenerateSamplesAsync(IEnumerable<ChatMessage> messages, int count, ChatOptions? options = null,
        int? topLogprobs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        // Parallel requests enumerate the conversation concurrently; a lazy sequence must be read once.
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var clock = Stopwatch.StartNew();
        var draw = count > 1 && Volatile.Read(ref _nativeN) != Unsupported
            ? await NativeAsync(conversation, count, options, topLogprobs, cancellationToken).ConfigureAwait(false)
            : await ParallelAsync(conversation, 0, count, options, topLogprobs, cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        var usage = draw.Usage;
        return new GenerationResult(draw.Samples, usage, new GenerationTimings(TimeSpan.Zero, elapsed, 0,
            elapsed.TotalSeconds > 0 ? usage.CompletionTokens / elapsed.TotalSeconds : 0, elapsed));
    }

    /// <summary>One request with n; falls back to parallel requests for what the endpoint did not return.</summary>
    private async Task<Draw> NativeAsync(IReadOnlyList<ChatMessage> conversation, int count, ChatOptions? options, int? topLogprobs,
        CancellationToken cancellationToken)
    {
        ChatResponse response;
        try
        {
            response = await RequestAsync(conversation, count, options, options?.Seed, topLogprobs, cancellationToken).ConfigureAwait(false);
        }
        catch (ClientResultException e) when (e.Status is 400 or 422 && Options.UseNativeN is null)
        {
            // The endpoint rejects n (llama-server does). Remember it only once parallel requests have worked, so an
            // unrelated bad request is not mistaken for missing n support.
            var parallel = await ParallelAsync(conversation, 0, count, options, topLogprobs, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _nativeN, Unsupported);
            return parallel;
        }
        var (choices, usage) = CompletionChoices.Read(response);
        var seed = SampleSeed(options?.Seed);
        var samples = choices.Take(count).Select((c, i) => ToSample(c, i, seed, new TokenUsage(usage.PromptTokens, TokenCount(c)))).ToList();
        if (samples.Count == count || Options.UseNativeN == true)
        {
            Interlocked.CompareExchange(ref _nativeN, Supported, Unknown);
            return new Draw(samples, usage);
        }
        // Fewer choices than asked (n silently ignored): draw the rest one request each, and from now on only that way.
        Volatile.Write(ref _nativeN, Unsupported);
        var rest = await ParallelAsync(conversation, samples.Count, count - samples.Count, options, topLogprobs, cancellationToken)
            .ConfigureAwait(false);
        return new Draw([.. samples, .. rest.Samples],
            new TokenUsage(usage.PromptTokens + rest.Usage.PromptTokens, usage.CompletionTokens + rest.Usage.CompletionTokens));
    }

    /// <summary>
    /// Samples <paramref name="first"/> to first + count - 1, one request each with seed + index; each request pays for
    /// its prompt, so the prompt tokens add up. The handler keeps at most MaxConcurrency of them on the wire.
    /// </summary>
    private async Task<Draw> ParallelAsync(IReadOnlyList<ChatMessage> conversation, int first, int count, ChatOptions? options,
        int? topLogprobs, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task<(Sample Sample, TokenUsage Usage)> DrawAsync(int index)
        {
            try
            {
                long? seed = options?.Seed is { } s ? unchecked(s + index) : null;
                var response = await RequestAsync(conversation, 1, options, seed, topLogprobs, failed.Token).ConfigureAwait(false);
                var (choices, usage) = CompletionChoices.Read(response);
                var choice = choices.Count > 0 ? choices[0] : new CompletionChoice("", FinishReason.Stop, null);
                return (ToSample(choice, index, SampleSeed(seed), usage), usage);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed sample fails the draw: stop the others instead of paying for them.
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        var drawn = await Task.WhenAll(Enumerable.Range(first, count).Select(DrawAsync)).ConfigureAwait(false);
        return new Draw(drawn.Select(d => d.Sample).ToList(),
            new TokenUsage(drawn.Sum(d => d.Usage.PromptTokens), drawn.Sum(d => d.Usage.CompletionTokens)));
    }

    private Task<ChatResponse> RequestAsync(IReadOnlyList<ChatMessage> conversation, int n, ChatOptions? options, long? seed,
        int? topLogprobs, CancellationToken cancellationToken)
    {
        var callOptions = options?.Clone() ?? new ChatOptions();
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
        return InnerClient.GetResponseAsync(conversation, callOptions, cancellationToken);
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

    private sealed record Draw(IReadOnlyList<Sample> Samples, TokenUsage Usage);
}
