using System.Text;
using System.Text.Json;

namespace Slingshot.Server.OpenAi;

/// <summary>Writes OpenAI response objects with Utf8JsonWriter, field by field, in the order OpenAI sends them.</summary>
internal static class ChunkWriter
{
    /// <summary>Escapes only what JSON requires, so text reads as OpenAI sends it ("\"", not "\u0022").</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Usage(Utf8JsonWriter json, TokenUsage usage)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", usage.PromptTokens);
        json.WriteNumber("completion_tokens", usage.CompletionTokens);
        json.WriteNumber("total_tokens", usage.TotalTokens);
        json.WriteEndObject();
    }

    /// <summary>Chat logprobs: <c>{"content": [{"token", "logprob", "bytes", "top_logprobs": [...]}]}</c>.</summary>
    public static void ChatLogprobs(Utf8JsonWriter json, IEnumerable<TokenLogprob>? logprobs)
    {
        if (logprobs is null)
        {
            json.WriteNull("logprobs");
            return;
        }
        json.WriteStartObject("logprobs");
        json.WriteStartArray("content");
        foreach (var step in logprobs)
        {
            json.WriteStartObject();
            Token(json, step.Chosen);
            json.WriteStartArray("top_logprobs");
            foreach (var alternative in step.TopAlternatives)
            {
                json.WriteStartObject();
                Token(json, alternative);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Legacy completions logprobs: tokens, token_logprobs, top_logprobs (one map per token), text_offset.</summary>
    public static void TextLogprobs(Utf8JsonWriter json, IReadOnlyList<TokenLogprob>? logprobs, int offset)
    {
        if (logprobs is null)
        {
            json.WriteNull("logprobs");
            return;
        }
        json.WriteStartObject("logprobs");
        json.WriteStartArray("tokens");
        foreach (var step in logprobs)
        {
            json.WriteStringValue(step.Chosen.Text);
        }
        json.WriteEndArray();
        json.WriteStartArray("token_logprobs");
        foreach (var step in logprobs)
        {
            json.WriteNumberValue(step.Chosen.Logprob);
        }
        json.WriteEndArray();
        json.WriteStartArray("top_logprobs");
        foreach (var step in logprobs)
        {
            json.WriteStartObject();
            foreach (var alternative in step.TopAlternatives.DistinctBy(a => a.Text))
            {
                json.WriteNumber(alternative.Text, alternative.Logprob);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("text_offset");
        foreach (var step in logprobs)
        {
            json.WriteNumberValue(offset);
            offset += step.Chosen.Text.Length;
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Token(Utf8JsonWriter json, TokenProbability token)
    {
        json.WriteString("token", token.Text);
        json.WriteNumber("logprob", token.Logprob);
        json.WriteStartArray("bytes");
        foreach (var b in Encoding.UTF8.GetBytes(token.Text))
        {
            json.WriteNumberValue(b);
        }
        json.WriteEndArray();
    }

    public static string FinishReason(FinishReason reason) => reason == Slingshot.FinishReason.Length ? "length" : "stop";

    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..24];
}
