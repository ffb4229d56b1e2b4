using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Slingshot;

/// <summary>
/// Microsoft.Extensions.AI messages and options in the OpenAI shape llama.cpp's chat machinery reads
/// (<c>common_chat_msgs_parse_oaicompat</c>, <c>common_chat_tools_parse_oaicompat</c>): assistant
/// <see cref="FunctionCallContent"/> become <c>tool_calls</c>, <see cref="FunctionResultContent"/> become
/// <c>role: "tool"</c> messages, <see cref="TextReasoningContent"/> becomes <c>reasoning_content</c>, and
/// <see cref="ChatOptions.Tools"/> / <see cref="ChatOptions.ToolMode"/> become <c>tools</c> / <c>tool_choice</c>.
/// </summary>
internal static class ChatToolRequests
{
    /// <summary>Whether the conversation or options need the tool-aware rendering (tools, calls, results or reasoning).</summary>
    public static bool NeedsStructuredRendering(IReadOnlyList<ChatMessage> messages, ChatOptions? options) =>
        options?.Tools is { Count: > 0 }
        || messages.Any(m => m.Contents.Any(c => c is FunctionCallContent or FunctionResultContent or TextReasoningContent));

    /// <summary>The messages as OpenAI-style JSON.</summary>
    /// <exception cref="ArgumentException">A message the template cannot be given (an unknown role, a result without a call id).</exception>
    public static JsonArray Messages(IReadOnlyList<ChatMessage> messages)
    {
        // Tool results carry only the call's id; templates that print the function's name (Llama 3, Mistral) need it.
        var callNames = messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>())
            .Where(c => !string.IsNullOrEmpty(c.CallId))
            .GroupBy(c => c.CallId).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        var array = new JsonArray();
        foreach (var message in messages)
        {
            var role = message.Role.Value;
            if (role is not ("system" or "user" or "assistant" or "tool"))
            {
                throw new ArgumentException($"Unknown chat role '{role}' (expected system, user, assistant or tool).", nameof(messages));
            }
            var results = message.Contents.OfType<FunctionResultContent>().ToList();
            if (results.Count > 0)
            {
                // One tool message per result, as OpenAI sends them; any text beside the results goes first.
                if (Text(message) is { Length: > 0 } text && role != "tool")
                {
                    array.Add(new JsonObject { ["role"] = role, ["content"] = text });
                }
                foreach (var result in results)
                {
                    if (string.IsNullOrEmpty(result.CallId))
                    {
                        throw new ArgumentException("A function result has no call id; it must answer a function call.", nameof(messages));
                    }
                    var tool = new JsonObject { ["role"] = "tool", ["tool_call_id"] = result.CallId, ["content"] = ResultText(result) };
                    if (callNames.TryGetValue(result.CallId, out var name))
                    {
                        tool["name"] = name;
                    }
                    array.Add(tool);
                }
                continue;
            }
            var json = new JsonObject { ["role"] = role, ["content"] = Text(message) };
            if (role == "tool")
            {
                throw new ArgumentException("A tool message must hold a function result (FunctionResultContent) naming its call id.", nameof(messages));
            }
            var calls = message.Contents.OfType<FunctionCallContent>().ToList();
            if (calls.Count > 0)
            {
                json["tool_calls"] = new JsonArray(calls.Select(ToolCall).ToArray<JsonNode?>());
            }
            var reasoning = string.Concat(message.Contents.OfType<TextReasoningContent>().Select(r => r.Text));
            if (reasoning.Length > 0)
            {
                json["reasoning_content"] = reasoning;
            }
            array.Add(json);
        }
        return array;
    }

    /// <summary>The function tools of <paramref name="options"/> (others are refused), narrowed to the one a
    /// <see cref="RequiredChatToolMode"/> names; and the tool choice to render with.</summary>
    /// <exception cref="ArgumentException">A tool that is not a function, or a required function that is not among the tools.</exception>
    public static (JsonArray? Tools, string? Choice) Tools(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools)
        {
            return (null, null);
        }
        var functions = new List<AIFunctionDeclaration>();
        foreach (var tool in tools)
        {
            functions.Add(tool as AIFunctionDeclaration
                ?? throw new ArgumentException($"Tool '{tool.Name}' is not a function; the local engine calls functions only.", nameof(options)));
        }
        string? choice = options.ToolMode switch
        {
            null or AutoChatToolMode => null,
            NoneChatToolMode => "none",
            RequiredChatToolMode => "required",
            _ => null,
        };
        if (options.ToolMode is RequiredChatToolMode { RequiredFunctionName: { } name })
        {
            // llama.cpp's formats know auto, none and required; a named function is "required" over that function alone.
            functions = functions.Where(f => f.Name == name).ToList();
            if (functions.Count == 0)
            {
                throw new ArgumentException($"The required function '{name}' is not among the tools ({string.Join(", ", tools.Select(t => t.Name))}).", nameof(options));
            }
        }
        var array = new JsonArray();
        foreach (var function in functions)
        {
            var definition = new JsonObject
            {
                ["name"] = function.Name,
                ["parameters"] = JsonNode.Parse(function.JsonSchema.GetRawText()),
            };
            if (!string.IsNullOrEmpty(function.Description))
            {
                definition["description"] = function.Description;
            }
            array.Add(new JsonObject { ["type"] = "function", ["function"] = definition });
        }
        return (array, choice);
    }

    private static string Text(ChatMessage message) => string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));

    private static JsonObject ToolCall(FunctionCallContent call) => new()
    {
        ["id"] = call.CallId,
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = call.Name,
            ["arguments"] = ArgumentsText(call),
        },
    };

    /// <summary>
    /// A call's arguments as JSON text: its <see cref="FunctionCallContent.Arguments"/>, or where those are absent the
    /// text it came with (<see cref="AIContent.RawRepresentation"/> a string: arguments that were not a JSON object, such
    /// as a call cut by the token limit). llama.cpp parses the arguments of templates that take them as objects and
    /// refuses text that is not JSON, so such text goes in as a JSON string, which every template renders.
    /// </summary>
    private static string ArgumentsText(FunctionCallContent call)
    {
        if (call.Arguments is null && call.RawRepresentation is string raw)
        {
            try
            {
                using var parsed = JsonDocument.Parse(raw);
                return raw;
            }
            catch (JsonException)
            {
                return JsonSerializer.Serialize(raw, AIJsonUtilities.DefaultOptions);
            }
        }
        return JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
    }

    private static string ResultText(FunctionResultContent result) => result.Result switch
    {
        null => result.Exception is { } ex ? $"Error: {ex.Message}" : "",
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString()!,
        var value => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions),
    };
}
