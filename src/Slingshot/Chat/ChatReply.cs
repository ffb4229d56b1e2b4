using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Slingshot;

/// <summary>One tool call parsed from a reply.</summary>
/// <param name="Id">The call's id (the model's own, or one made up as llama-server makes one up).</param>
/// <param name="Name">The function's name.</param>
/// <param name="Arguments">The arguments as JSON text (possibly incomplete while streaming).</param>
public sealed record ChatToolCall(string Id, string Name, string Arguments);

/// <summary>
/// A model's reply split by its chat format's parser (llama.cpp's <c>common_chat_parse</c>, as llama-server splits
/// it): the answer, the thinking before it, and the tool calls.
/// </summary>
/// <param name="Content">The answer text.</param>
/// <param name="Reasoning">The thinking part, or empty.</param>
/// <param name="ToolCalls">The tool calls, in order.</param>
public sealed record ChatReply(string Content, string Reasoning, IReadOnlyList<ChatToolCall> ToolCalls)
{
    /// <summary>Parses <paramref name="text"/> (the tokens generated after <paramref name="prompt"/>).</summary>
    /// <param name="prompt">The rendered prompt the text answers, whose parser is used.</param>
    /// <param name="text">The generated text.</param>
    /// <param name="isPartial">Whether more text may follow (streaming): an unfinished call is then kept, not refused.</param>
    /// <param name="reasoningFormat">llama.cpp's reasoning format: "auto" (thinking into <see cref="Reasoning"/>) or "none" (left in the content).</param>
    /// <param name="ids">Ids for calls the model gave none, by position: reused so a stream keeps each call's id.</param>
    /// <returns>The split reply; a final text the parser cannot read is returned whole as content.</returns>
    public static ChatReply Parse(ChatPrompt prompt, string text, bool isPartial, string reasoningFormat, IList<string>? ids = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(text);
        JsonObject message;
        try
        {
            message = JinjaChatTemplate.ParseReply(prompt, text, isPartial, reasoningFormat);
        }
        catch (SlingshotException) when (!isPartial)
        {
            // llama-server answers with the raw text when its parser cannot read a finished reply (a call cut by max_tokens).
            return new ChatReply(text, "", []);
        }
        ids ??= [];
        var calls = new List<ChatToolCall>();
        foreach (var call in message["tool_calls"]?.AsArray() ?? [])
        {
            var function = call?["function"];
            var id = (string?)call?["id"];
            if (calls.Count < ids.Count)
            {
                id = string.IsNullOrEmpty(id) ? ids[calls.Count] : id;
            }
            else
            {
                id = string.IsNullOrEmpty(id) ? NewCallId() : id;
                ids.Add(id);
            }
            calls.Add(new ChatToolCall(id, (string?)function?["name"] ?? "", (string?)function?["arguments"] ?? ""));
        }
        return new ChatReply((string?)message["content"] ?? "", (string?)message["reasoning_content"] ?? "", calls);
    }

    /// <summary>The reply as Microsoft.Extensions.AI contents: reasoning, then text, then function calls.</summary>
    public IList<AIContent> ToContents()
    {
        var contents = new List<AIContent>();
        if (Reasoning.Length > 0)
        {
            contents.Add(new TextReasoningContent(Reasoning));
        }
        if (Content.Length > 0 || ToolCalls.Count == 0)
        {
            contents.Add(new TextContent(Content));
        }
        foreach (var call in ToolCalls)
        {
            contents.Add(FunctionCall(call));
        }
        return contents;
    }

    /// <summary>A call as a <see cref="FunctionCallContent"/>; arguments that are not a JSON object become a parse error on it.</summary>
    internal static FunctionCallContent FunctionCall(ChatToolCall call)
    {
        try
        {
            var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(call.Arguments.Length == 0 ? "{}" : call.Arguments, AIJsonUtilities.DefaultOptions);
            return new FunctionCallContent(call.Id, call.Name, arguments);
        }
        catch (JsonException ex)
        {
            // The text stays with the call, so a conversation holding it renders as it was generated.
            return new FunctionCallContent(call.Id, call.Name) { Exception = ex, RawRepresentation = call.Arguments };
        }
    }

    /// <summary>An OpenAI-style call id.</summary>
    internal static string NewCallId() => "call_" + Guid.NewGuid().ToString("N")[..24];
}

/// <summary>
/// Follows a streamed reply: each time the text grows it is parsed again as a partial reply, and only what is new
/// is returned (llama-server's <c>common_chat_msg_diff</c>): text and reasoning deltas, a new call's id and name with
/// its first arguments, then argument deltas.
/// </summary>
public sealed class ChatReplyStream
{
    private readonly ChatPrompt _prompt;
    private readonly string _reasoningFormat;
    private readonly List<string> _ids = [];
    private readonly System.Text.StringBuilder _text = new();
    private ChatReply _last = new("", "", []);

    /// <summary>Follows the reply to <paramref name="prompt"/>.</summary>
    public ChatReplyStream(ChatPrompt prompt, string reasoningFormat)
    {
        _prompt = prompt ?? throw new ArgumentNullException(nameof(prompt));
        _reasoningFormat = reasoningFormat;
    }

    /// <summary>The reply as parsed so far.</summary>
    public ChatReply Current => _last;

    /// <summary>Adds generated text; returns what is new. With <paramref name="final"/>, the text is complete.</summary>
    public ChatReplyDelta Append(string text, bool final = false)
    {
        _text.Append(text);
        var next = ChatReply.Parse(_prompt, _text.ToString(), isPartial: !final, _reasoningFormat, _ids);
        var delta = new ChatReplyDelta(Suffix(_last.Content, next.Content), Suffix(_last.Reasoning, next.Reasoning), Calls(_last.ToolCalls, next.ToolCalls));
        _last = next;
        return delta;
    }

    // A parser may revise a partial reading (a tag half-seen as text); only growth is sent, as llama-server sends it.
    private static string Suffix(string before, string after) =>
        after.Length > before.Length && after.StartsWith(before, StringComparison.Ordinal) ? after[before.Length..] : "";

    private static List<ChatToolCallDelta> Calls(IReadOnlyList<ChatToolCall> before, IReadOnlyList<ChatToolCall> after)
    {
        var deltas = new List<ChatToolCallDelta>();
        for (var i = 0; i < after.Count; i++)
        {
            if (i >= before.Count)
            {
                if (after[i].Name.Length > 0)
                {
                    deltas.Add(new ChatToolCallDelta(i, after[i].Id, after[i].Name, after[i].Arguments));
                }
                continue;
            }
            if (before[i].Name.Length == 0 && after[i].Name.Length > 0)
            {
                deltas.Add(new ChatToolCallDelta(i, after[i].Id, after[i].Name, after[i].Arguments));
            }
            else if (Suffix(before[i].Arguments, after[i].Arguments) is { Length: > 0 } arguments)
            {
                deltas.Add(new ChatToolCallDelta(i, null, null, arguments));
            }
        }
        return deltas;
    }
}

/// <summary>What a streamed reply gained with its latest text.</summary>
/// <param name="Content">New answer text.</param>
/// <param name="Reasoning">New thinking text.</param>
/// <param name="ToolCalls">New calls (with id and name) and argument growth of earlier ones.</param>
public sealed record ChatReplyDelta(string Content, string Reasoning, IReadOnlyList<ChatToolCallDelta> ToolCalls)
{
    /// <summary>Whether nothing is new.</summary>
    public bool IsEmpty => Content.Length == 0 && Reasoning.Length == 0 && ToolCalls.Count == 0;
}

/// <summary>One tool call's part of a streamed delta (OpenAI's <c>delta.tool_calls[]</c>).</summary>
/// <param name="Index">The call's position in the reply.</param>
/// <param name="Id">The id, on the call's first delta only.</param>
/// <param name="Name">The function name, on the call's first delta only.</param>
/// <param name="Arguments">Arguments text to append.</param>
public sealed record ChatToolCallDelta(int Index, string? Id, string? Name, string Arguments);
