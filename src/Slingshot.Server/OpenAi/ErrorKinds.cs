using System.ClientModel;
using Microsoft.AspNetCore.Http;
using Slingshot.Server.Endpoints;

namespace Slingshot.Server.OpenAi;

/// <summary>
/// What a failure of a request is, as OpenAI's error object and status: bad input (400 naming the field), capacity
/// (429 or 503 with Retry-After) or a failure of the server itself (500 <c>server_error</c>, which the caller logs with
/// the request id). A <see cref="SlingshotException"/> raised while answering (a llama_decode error, a native library
/// failing) is the server's failure, never the client's: only an <see cref="InvalidRequestException"/> is bad input.
/// </summary>
internal static class ErrorKinds
{
    /// <summary>The error to answer with for <paramref name="ex"/>, thrown while <paramref name="context"/> was being answered.</summary>
    public static ApiException Classify(Exception ex, HttpContext context) => ex switch
    {
        ApiException api => api,
        ContextLengthExceededException c => new ApiException(400, c.Message, param: InputField(context), code: "context_length_exceeded"),
        InvalidRequestException bad => new ApiException(400, bad.Message, param: WireField(bad.Param, context), code: "invalid_value"),
        BadHttpRequestException { StatusCode: 413 } => new ApiException(413, "The request body is too large.", code: "request_too_large"),
        BadHttpRequestException bad => new ApiException(bad.StatusCode, bad.Message, code: "bad_request"),
        // Request validation in the libraries: the caller's to fix.
        ArgumentException bad => new ApiException(400, bad.Message, param: WireField(bad.ParamName, context), code: "invalid_value"),
        NotSupportedException unsupported => new ApiException(400, unsupported.Message, code: "unsupported_value"),
        ClientResultException { Status: 429 or 503 } busy => UpstreamBusy(busy),
        _ => new ApiException(500, "The server failed to process the request.", type: "server_error"),
    };

    /// <summary>The request field a library's parameter name stands for, or null where it names none a client sent.</summary>
    private static string? WireField(string? name, HttpContext context) => name switch
    {
        "messages" or "prompt" => InputField(context),
        "tools" or "tool_choice" or "n" or "stop" or "max_tokens" or "response_format" or "logprobs" or "top_logprobs" => name,
        _ => null,
    };

    /// <summary>Where the text to complete is: "prompt" on /v1/completions, "messages" on chat.</summary>
    private static string InputField(HttpContext context) => Routes.Label(context) == Routes.Completions ? "prompt" : "messages";

    /// <summary>
    /// The remote endpoint behind a model is out of capacity even after its retries: the server's own capacity for
    /// that model is exhausted for now, so 503 with the endpoint's Retry-After (1 s when it gave none).
    /// </summary>
    private static ApiException UpstreamBusy(ClientResultException busy)
    {
        var seconds = 1;
        if (busy.GetRawResponse()?.Headers.TryGetValue("Retry-After", out var value) == true
            && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var asked))
        {
            seconds = Math.Clamp(asked, 1, 3600);
        }
        return new ApiException(503, $"The model's endpoint is at capacity (HTTP {busy.Status}); retry shortly.", type: "server_error", code: "upstream_unavailable")
        {
            RetryAfterSeconds = seconds,
        };
    }
}
