using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Slingshot.Server.OpenAi;

/// <summary>
/// The tool-calling fields of a chat request, as OpenAI defines them: <c>tools</c>, <c>tool_choice</c>,
/// <c>parallel_tool_calls</c>, assistant <c>tool_calls</c> and <c>reasoning_content</c>, <c>role: "tool"</c> messages;
/// and llama-server's <c>reasoning_format</c> and <c>chat_template_kwargs.enable_thinking</c>. Each bad value is a 400
/// naming its field.
/// </summary>
internal static partial class ToolFields
{
    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex FunctionName();

    /// <summary>Sets the tools, tool mode, parallel calls and reasoning switches of <paramref name="options"/>.</summary>
    public static void Apply(JsonElement body, ChatOptions options)
    {
        var tools = Tools(body);
        if (tools.Count > 0)
        {
            options.Tools = tools;
        }
        options.ToolMode = ToolMode(body, tools);
        options.AllowMultipleToolCalls = JsonFields.Bool(body, "parallel_tool_calls");
        if (JsonFields.String(body, "reasoning_format") is { } format)
        {
            if (format is not ("auto" or "none" or "deepseek"))
            {
                throw ApiException.BadField("reasoning_format", $"Unknown reasoning_format '{format}' (auto, none).");
            }
            (options.AdditionalProperties ??= [])[LlamaChatOptionKeys.ReasoningFormat] = format == "deepseek" ? "auto" : format;
        }
        if (body.TryGetProperty("chat_template_kwargs", out var kwargs) && kwargs.ValueKind == JsonValueKind.Object
            && kwargs.TryGetProperty("enable_thinking", out var thinking))
        {
            if (thinking.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new ApiException(400, "Invalid type for 'chat_template_kwargs.enable_thinking': expected a boolean.", param: "chat_template_kwargs.enable_thinking", code: "invalid_type");
            }
            (options.AdditionalProperties ??= [])[LlamaChatOptionKeys.EnableThinking] = thinking.GetBoolean();
        }
    }

    /// <summary>A message with its tool parts: a tool result, or an assistant message's calls and reasoning.</summary>
    public static ChatMessage Message(JsonElement message, string role, string param, string text)
    {
        if (role == "tool")
        {
            var callId = JsonFields.String(message, "tool_call_id")
                ?? throw ApiException.BadField($"{param}.tool_call_id", $"'{param}.tool_call_id' is required in a tool message.");
            return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, text)]);
        }
        var contents = new List<AIContent>();
        if (role == "assistant" && JsonFields.String(message, "reasoning_content") is { Length: > 0 } reasoning)
        {
            contents.Add(new TextReasoningContent(reasoning));
        }
        if (text.Length > 0 || role != "assistant")
        {
            contents.Add(new TextContent(text));
        }
        if (role == "assistant" && message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind != JsonValueKind.Null)
        {
            if (calls.ValueKind != JsonValueKind.Array)
            {
                throw new ApiException(400, $"Invalid type for '{param}.tool_calls': expected an array.", param: $"{param}.tool_calls", code: "invalid_type");
            }
            var index = 0;
            foreach (var call in calls.EnumerateArray())
            {
                contents.Add(ToolCall(call, $"{param}.tool_calls[{index++}]"));
            }
        }
        return new ChatMessage(new ChatRole(role == "developer" ? "system" : role), contents);
    }

    private static FunctionCallContent ToolCall(JsonElement call, string param)
    {
        if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
        {
            throw new ApiException(400, $"Invalid type for '{param}': expected an object with a 'function'.", param: param, code: "invalid_type");
        }
        var id = JsonFields.String(call, "id") ?? throw ApiException.BadField($"{param}.id", $"'{param}.id' is required.");
        var name = JsonFields.String(function, "name") ?? throw ApiException.BadField($"{param}.function.name", $"'{param}.function.name' is required.");
        var arguments = JsonFields.String(function, "arguments") ?? "{}";
        try
        {
            if (JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments, AIJsonUtilities.DefaultOptions) is { } parsed)
            {
                return new FunctionCallContent(id, name, parsed);
            }
        }
        catch (JsonException)
        {
            // Not an object: kept as text below.
        }
        // OpenAI takes any string here, and a reply cut by max_tokens in the middle of a call (finish_reason "length")
        // carries such arguments; the conversation is sent back as it was, its text rendered as it stands.
        return new FunctionCallContent(id, name) { RawRepresentation = arguments };
    }

    private static List<AITool> Tools(JsonElement body)
    {
        if (!body.TryGetProperty("tools", out var tools) || tools.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (tools.ValueKind != JsonValueKind.Array)
        {
            throw new ApiException(400, "Invalid type for 'tools': expected an array.", param: "tools", code: "invalid_type");
        }
        var declarations = new List<AITool>();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var param = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object || JsonFields.String(tool, "type") != "function"
                || !tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.BadField(param, $"'{param}' must be {{\"type\": \"function\", \"function\": {{...}}}}.");
            }
            var name = JsonFields.String(function, "name");
            if (name is null || !FunctionName().IsMatch(name))
            {
                throw ApiException.BadField($"{param}.function.name", $"'{param}.function.name' must be 1 to 64 letters, digits, '_' or '-'.");
            }
            if (declarations.Any(d => d.Name == name))
            {
                throw ApiException.BadField($"{param}.function.name", $"Two tools are named '{name}'.");
            }
            JsonElement parameters;
            if (function.TryGetProperty("parameters", out var given) && given.ValueKind != JsonValueKind.Null)
            {
                parameters = given.ValueKind == JsonValueKind.Object
                    ? given.Clone()
                    : throw new ApiException(400, $"Invalid type for '{param}.function.parameters': expected a JSON schema object.", param: $"{param}.function.parameters", code: "invalid_type");
            }
            else
            {
                parameters = JsonDocument.Parse("""{"type": "object", "properties": {}}""").RootElement.Clone();
            }
            declarations.Add(AIFunctionFactory.CreateDeclaration(name, JsonFields.String(function, "description"), parameters));
        }
        return declarations;
    }

    private static ChatToolMode? ToolMode(JsonElement body, List<AITool> tools)
    {
        if (!body.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (tools.Count == 0)
        {
            throw ApiException.BadField("tool_choice", "'tool_choice' is only allowed when 'tools' are specified.");
        }
        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString() switch
            {
                "auto" => ChatToolMode.Auto,
                "none" => ChatToolMode.None,
                "required" => ChatToolMode.RequireAny,
                var other => throw ApiException.BadField("tool_choice", $"Unknown tool_choice '{other}' (auto, none, required, or {{\"type\": \"function\", \"function\": {{\"name\": ...}}}})."),
            };
        }
        var name = choice.ValueKind == JsonValueKind.Object && JsonFields.String(choice, "type") == "function"
            && choice.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
            ? JsonFields.String(function, "name")
            : null;
        if (name is null)
        {
            throw ApiException.BadField("tool_choice", "'tool_choice' must be auto, none, required, or {\"type\": \"function\", \"function\": {\"name\": ...}}.");
        }
        return tools.Any(t => t.Name == name)
            ? ChatToolMode.RequireSpecific(name)
            : throw ApiException.BadField("tool_choice", $"'tool_choice' names the function '{name}', which is not among the tools ({string.Join(", ", tools.Select(t => t.Name))}).");
    }
}
