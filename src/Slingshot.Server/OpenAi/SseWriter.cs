using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Slingshot.Server.OpenAi;

/// <summary>
/// Server-sent events exactly as OpenAI streams them: one <c>data: {chunk}</c> event per delta, an optional final
/// chunk with empty choices and the usage (<c>stream_options.include_usage</c>; every other chunk then carries
/// <c>"usage": null</c>), and <c>data: [DONE]</c>.
/// </summary>
internal sealed class SseWriter(HttpContext context, string id, string model, string objectName, bool includeUsage)
{
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public async Task StartAsync()
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A chat chunk for one choice.</summary>
    public Task ChunkAsync(int index, Action<Utf8JsonWriter> delta, Action<Utf8JsonWriter>? logprobs, string? finishReason) =>
        WriteAsync(json =>
        {
            json.WriteStartObject();
            json.WriteNumber("index", index);
            json.WriteStartObject("delta");
            delta(json);
            json.WriteEndObject();
            WriteChoiceTail(json, logprobs, finishReason);
        }, usage: null);

    /// <summary>A text-completion chunk for one choice.</summary>
    public Task TextChunkAsync(int index, string text, Action<Utf8JsonWriter>? logprobs, string? finishReason) =>
        WriteAsync(json =>
        {
            json.WriteStartObject();
            json.WriteString("text", text);
            json.WriteNumber("index", index);
            WriteChoiceTail(json, logprobs, finishReason);
        }, usage: null);

    /// <summary>The usage chunk (when asked for) and <c>[DONE]</c>.</summary>
    public async Task FinishAsync(TokenUsage usage)
    {
        if (includeUsage)
        {
            await WriteAsync(null, usage).ConfigureAwait(false);
        }
        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private async Task WriteAsync(Action<Utf8JsonWriter>? choice, TokenUsage? usage)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, ChunkWriter.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("object", objectName);
            json.WriteNumber("created", _created);
            json.WriteString("model", model);
            json.WriteString("system_fingerprint", "slingshot");
            json.WriteStartArray("choices");
            choice?.Invoke(json);
            json.WriteEndArray();
            if (usage is { } u)
            {
                ChunkWriter.Usage(json, u);
            }
            else if (includeUsage)
            {
                json.WriteNull("usage");
            }
            json.WriteEndObject();
        }
        var body = context.Response.Body;
        await body.WriteAsync("data: "u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
        await body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        await body.WriteAsync("\n\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Ends a choice the same way for chat and text chunks: its logprobs (null when not asked for), its finish reason.</summary>
    private static void WriteChoiceTail(Utf8JsonWriter json, Action<Utf8JsonWriter>? logprobs, string? finishReason)
    {
        if (logprobs is null)
        {
            json.WriteNull("logprobs");
        }
        else
        {
            logprobs(json);
        }
        WriteFinish(json, finishReason);
        json.WriteEndObject();
    }

    private static void WriteFinish(Utf8JsonWriter json, string? finishReason)
    {
        if (finishReason is null)
        {
            json.WriteNull("finish_reason");
        }
        else
        {
            json.WriteString("finish_reason", finishReason);
        }
    }
}
