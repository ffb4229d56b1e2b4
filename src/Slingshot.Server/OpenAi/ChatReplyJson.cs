using System.Text.Json;

namespace Slingshot.Server.OpenAi;

/// <summary>
/// A parsed reply on the wire as OpenAI (and llama-server) write it: <c>content</c> (null beside tool calls with no
/// text), <c>reasoning_content</c>, <c>tool_calls</c> with ids, and in a stream, deltas whose calls carry an index, the
/// id and name once, then argument pieces.
/// </summary>
internal static class ChatReplyJson
{
    /// <summary>The finish reason of a sample whose reply is <paramref name="reply"/>.</summary>
    public static string FinishReason(ChatReply reply, FinishReason reason) =>
        reply.ToolCalls.Count > 0 && reason != Slingshot.FinishReason.Length ? "tool_calls" : ChunkWriter.FinishReason(reason);

    /// <summary>The fields of a non-streamed message after its role.</summary>
    public static void WriteMessage(Utf8JsonWriter json, ChatReply reply)
    {
        if (reply.Content.Length == 0 && reply.ToolCalls.Count > 0)
        {
            json.WriteNull("content");
        }
        else
        {
            json.WriteString("content", reply.Content);
        }
        if (reply.Reasoning.Length > 0)
        {
            json.WriteString("reasoning_content", reply.Reasoning);
        }
        if (reply.ToolCalls.Count > 0)
        {
            json.WriteStartArray("tool_calls");
            foreach (var call in reply.ToolCalls)
            {
                json.WriteStartObject();
                json.WriteString("id", call.Id);
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", call.Name);
                json.WriteString("arguments", call.Arguments);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
    }

    /// <summary>The fields of a stream delta.</summary>
    public static void WriteDelta(Utf8JsonWriter json, ChatReplyDelta delta)
    {
        if (delta.Reasoning.Length > 0)
        {
            json.WriteString("reasoning_content", delta.Reasoning);
        }
        if (delta.Content.Length > 0)
        {
            json.WriteString("content", delta.Content);
        }
        if (delta.ToolCalls.Count > 0)
        {
            json.WriteStartArray("tool_calls");
            foreach (var call in delta.ToolCalls)
            {
                json.WriteStartObject();
                json.WriteNumber("index", call.Index);
                if (call.Id is not null)
                {
                    json.WriteString("id", call.Id);
                    json.WriteString("type", "function");
                }
                json.WriteStartObject("function");
                if (call.Name is not null)
                {
                    json.WriteString("name", call.Name);
                }
                json.WriteString("arguments", call.Arguments);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
    }
}
