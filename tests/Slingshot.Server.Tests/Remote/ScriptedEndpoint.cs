using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Slingshot.Server.Tests.Support;

namespace Slingshot.Server.Tests.Remote;

/// <summary>
/// A real Kestrel host on a free loopback port that answers <c>POST /v1/chat/completions</c> the way a scripted
/// endpoint would: the first <see cref="Failures"/> requests get <see cref="FailureStatus"/> (with Retry-After when
/// set), each request can be held for a while, and successes return one choice or n. It counts requests, keeps their
/// bodies and measures how many were in flight at once.
/// </summary>
internal sealed class ScriptedEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private int _inFlight;
    private int _peakInFlight;

    private ScriptedEndpoint(WebApplication app, string baseUrl)
    {
        _app = app;
        Url = baseUrl + "/v1";
    }

    /// <summary>Base URL of the OpenAI-compatible API (ends in /v1).</summary>
    public string Url { get; }

    /// <summary>How many requests fail before they start succeeding.</summary>
    public int Failures { get; set; }

    /// <summary>Status code of a failing request; 0 drops the connection without an answer (a network error).</summary>
    public int FailureStatus { get; set; } = 503;

    /// <summary>Retry-After header value on failures (seconds as text), or none.</summary>
    public string? RetryAfter { get; set; }

    /// <summary>How long request number i (0-based) is held before it is answered.</summary>
    public Func<int, TimeSpan> Delay { get; set; } = _ => TimeSpan.Zero;

    /// <summary>Whether a success returns n choices (true) or always one (false, as servers that ignore n do).</summary>
    public bool HonoursN { get; set; } = true;

    /// <summary>Reject a request with a larger n with a 400, as llama-server does above its slots.</summary>
    public int MaxN { get; set; } = int.MaxValue;

    /// <summary>Requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The most requests that were being answered at once.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>Every request body, in arrival order.</summary>
    public ConcurrentQueue<JsonElement> Bodies { get; } = new();

    public static async Task<ScriptedEndpoint> StartAsync()
    {
        var baseUrl = $"http://127.0.0.1:{ServerFixture.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseUrl);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new ScriptedEndpoint(app, baseUrl);
        app.MapPost("/v1/chat/completions", endpoint.AnswerAsync);
        await app.StartAsync();
        return endpoint;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requests) - 1;
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var peak = PeakInFlight; inFlight > peak && Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak) != peak; peak = PeakInFlight)
        {
        }
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            Bodies.Enqueue(body.RootElement.Clone());
            await Task.Delay(Delay(number), context.RequestAborted);
            var n = body.RootElement.TryGetProperty("n", out var nField) ? nField.GetInt32() : 1;
            if (number < Failures && FailureStatus == 0)
            {
                context.Abort();
                return;
            }
            if (number < Failures)
            {
                context.Response.StatusCode = FailureStatus;
                if (RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = RetryAfter;
                }
                await context.Response.WriteAsJsonAsync(new { error = new { message = "busy", type = "server_error", code = (string?)null } });
                return;
            }
            if (n > MaxN)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new { error = new { message = "Only one completion choice is allowed", type = "invalid_request_error", code = (string?)null } });
                return;
            }
            await WriteCompletionAsync(context, HonoursN ? n : 1, body.RootElement.TryGetProperty("logprobs", out var lp) && lp.GetBoolean());
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up on this request (its attempt timed out).
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Choice i says "answer i" in two tokens with log-probabilities -0.5 and -(i + 1).</summary>
    private static Task WriteCompletionAsync(HttpContext context, int choices, bool logprobs) =>
        context.Response.WriteAsJsonAsync(new
        {
            id = "chatcmpl-scripted",
            @object = "chat.completion",
            created = 1,
            model = "scripted",
            choices = Enumerable.Range(0, choices).Select(i => new
            {
                index = i,
                message = new { role = "assistant", content = $"answer {i}" },
                logprobs = logprobs
                    ? new { content = new[] { Token("answer", -0.5f), Token($" {i}", -(i + 1f)) } }
                    : null,
                finish_reason = "stop",
            }),
            usage = new { prompt_tokens = 10, completion_tokens = 2 * choices, total_tokens = 10 + 2 * choices },
        });

    private static object Token(string text, float logprob) => new { token = text, logprob, bytes = (int[]?)null, top_logprobs = Array.Empty<object>() };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
