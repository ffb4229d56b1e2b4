using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Slingshot.Server.OpenAi;

/// <summary>
/// A request the server refuses, rendered as OpenAI does: <c>{"error": {"message", "type", "param", "code"}}</c>
/// with the HTTP status. Thrown anywhere in a handler; the error middleware writes it.
/// </summary>
public sealed class ApiException : Exception
{
    /// <summary>Creates the error.</summary>
    public ApiException(int status, string message, string type = "invalid_request_error", string? param = null, string? code = null)
        : base(message)
    {
        Status = status;
        Type = type;
        Param = param;
        Code = code;
    }

    /// <summary>HTTP status.</summary>
    public int Status { get; }
    /// <summary>OpenAI error type ("invalid_request_error", "authentication_error", "rate_limit_error", "server_error").</summary>
    public string Type { get; }
    /// <summary>The request field at fault, when one is.</summary>
    public string? Param { get; }
    /// <summary>Machine-readable code ("context_length_exceeded", "model_not_found", ...).</summary>
    public string? Code { get; }
    /// <summary>
    /// Seconds a client should wait before retrying, sent as Retry-After: set for capacity errors (429, 503); null
    /// means 1 s for those and no header for any other status.
    /// </summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>400 naming a field.</summary>
    public static ApiException BadField(string param, string message) => new(400, message, param: param, code: "invalid_value");

    private static readonly JsonSerializerOptions ErrorJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the error body.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string message, string type, string? param, string? code)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (status is 429 or 503 && !context.Response.Headers.ContainsKey("Retry-After"))
        {
            // A full queue drains in about a request's time; tell well-behaved clients when to come back.
            context.Response.Headers.RetryAfter = "1";
        }
        var body = JsonSerializer.Serialize(new { error = new { message, type, param, code } }, ErrorJson);
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
