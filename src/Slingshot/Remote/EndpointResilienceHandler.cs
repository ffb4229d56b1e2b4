using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Slingshot.Remote;

/// <summary>
/// The one place a remote endpoint's requests are retried, timed out and limited: exponential backoff with jitter on
/// 408, 429, 5xx, network errors and attempt timeouts, honouring the server's Retry-After; each attempt gets
/// <see cref="RemoteModelOptions.Timeout"/> (body included) and holds one of
/// <see cref="RemoteModelOptions.MaxConcurrency"/> slots only while it is on the wire, so neither waiting for a slot nor
/// backing off counts against the timeout or blocks other requests. The OpenAI client's own retries are switched off
/// (see <see cref="RemoteModel"/>), so a request is never retried twice over.
/// </summary>
internal sealed class EndpointResilienceHandler : DelegatingHandler
{
    private readonly RemoteModelOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ILogger _logger;
    private int _inFlight;
    private int _peakInFlight;

    public EndpointResilienceHandler(RemoteModelOptions options, HttpMessageHandler transport, ILogger? logger = null)
        : base(transport)
    {
        _options = options;
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _logger = logger ?? NullLogger.Instance;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    _logger.LogWarning("{Endpoint}: attempt {Attempt} failed ({Reason}); retrying in {Delay} ms", _options.Url,
                        args.AttemptNumber + 1, Describe(args.Outcome), (int)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }
        _pipeline = builder.Build();
    }

    /// <summary>The most attempts that were on the wire at once since this handler was created.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A retry sends the same message again: its content must be readable more than once.
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }
        return await _pipeline.ExecuteAsync(static (state, token) => state.Handler.AttemptAsync(state.Request, token),
            (Handler: this, Request: request), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var inFlight = Interlocked.Increment(ref _inFlight);
        UpdatePeak(inFlight);
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_options.Timeout);
            HttpResponseMessage? response = null;
            try
            {
                response = await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
                // A streamed reply is read by the caller as it arrives; any other is read here, inside the attempt's timeout.
                if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
                {
                    await response.Content.LoadIntoBufferAsync(attempt.Token).ConfigureAwait(false);
                }
                return response;
            }
            catch (OperationCanceledException) when (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                response?.Dispose();
                throw new TimeoutException($"{_options.Url} did not answer within {_options.Timeout.TotalSeconds:0.###} s.");
            }
            catch
            {
                response?.Dispose();
                throw;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _slots.Release();
        }
    }

    private void UpdatePeak(int inFlight)
    {
        var peak = Volatile.Read(ref _peakInFlight);
        while (inFlight > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak);
            if (seen == peak)
            {
                return;
            }
            peak = seen;
        }
    }

    /// <summary>Worth another attempt: the server is busy or failing, the connection broke, or the attempt ran out of time.</summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) => outcome switch
    {
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            || (int)response.StatusCode >= 500,
        { Exception: TimeoutException } => true,
        { Exception: HttpRequestException } => true,
        // An HttpClient-level cancellation the caller did not ask for (a dropped connection surfacing as cancellation).
        { Exception: OperationCanceledException } => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>The server's Retry-After (seconds or a date) capped at the longest delay; null lets the backoff decide.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is not { } wait)
        {
            return null;
        }
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > _options.MaxRetryDelay ? _options.MaxRetryDelay : wait;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? $"HTTP {(int)response.StatusCode}" : outcome.Exception?.GetType().Name ?? "unknown";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _slots.Dispose();
        }
        base.Dispose(disposing);
    }
}
