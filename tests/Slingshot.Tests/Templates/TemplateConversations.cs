using System.Text.Json.Nodes;

namespace Slingshot.Tests.Templates;

/// <summary>
/// The conversations every pinned template is rendered with, each in two spellings of the same content: the
/// OpenAI-style request a client sends to Slingshot (tool-call arguments as a JSON string), and the messages Hugging
/// Face's apply_chat_template documents (arguments as an object), with the variables it passes.
/// </summary>
internal static class TemplateConversations
{
    public const string Bos = "<s>";
    public const string Eos = "</s>";

    /// <summary>Fixed so both renderers see the same value (templates that call strftime_now read the clock in both).</summary>
    public const string DateString = "26 Jul 2024";
    public const string DateTime = "Jul 26 2024";

    /// <summary>A conversation: its name, messages for Slingshot and for the reference, tools, and the thinking switch.</summary>
    public sealed record Conversation(string Name, Func<JsonArray> Ours, Func<JsonArray> Reference, JsonArray? Tools = null,
        bool? EnableThinking = null, bool OnlyThinkingTemplates = false);

    private static readonly JsonArray s_tools = (JsonArray)JsonNode.Parse("""
        [{"type": "function", "function": {"name": "get_weather", "description": "Get the current weather in a city.",
          "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "The city name."}}, "required": ["city"]}}}]
        """)!;

    private static JsonArray Basic() => Messages(
        ("system", "You are a helpful assistant."), ("user", "What is 2+2?"), ("assistant", "2+2 is 4."), ("user", "And 3+3?"));

    private static JsonArray Ask() => Messages(("system", "You are a helpful assistant."), ("user", "What is the weather in Paris?"));

    // Mistral's templates insist on 9-character alphanumeric call ids.
    private static JsonArray ToolCall(bool argumentsAsObject)
    {
        var messages = Ask();
        JsonNode arguments = argumentsAsObject ? new JsonObject { ["city"] = "Paris" } : JsonValue.Create("{\"city\": \"Paris\"}");
        messages.Add(new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = "",
            ["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = "call12345",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = arguments },
            }),
        });
        messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = "call12345", ["name"] = "get_weather", ["content"] = "{\"temperature\": 18}" });
        return messages;
    }

    private static JsonArray ThinkingHistory()
    {
        var messages = Basic();
        messages[2]!["reasoning_content"] = "Two plus two makes four.";
        return messages;
    }

    public static IReadOnlyList<Conversation> All { get; } =
    [
        new("basic", Basic, Basic),
        new("nosystem", () => Without(Basic(), 0), () => Without(Basic(), 0)),
        new("tools", Ask, Ask, s_tools),
        new("toolcall", () => ToolCall(false), () => ToolCall(true), s_tools),
        new("think_on", Basic, Basic, EnableThinking: true, OnlyThinkingTemplates: true),
        new("think_off", Basic, Basic, EnableThinking: false, OnlyThinkingTemplates: true),
        new("think_history", ThinkingHistory, ThinkingHistory, EnableThinking: true, OnlyThinkingTemplates: true),
    ];

    /// <summary>Slingshot's request for <paramref name="conversation"/>.</summary>
    public static ChatTemplateRequest Request(Conversation conversation) => new()
    {
        Messages = conversation.Ours(),
        Tools = (JsonArray?)conversation.Tools?.DeepClone(),
        EnableThinking = conversation.EnableThinking,
        Variables = new Dictionary<string, JsonNode?> { ["date_string"] = DateString, ["datetime"] = DateTime },
    };

    /// <summary>The variables Hugging Face's apply_chat_template passes for <paramref name="conversation"/>: tools and
    /// documents are always there (None when absent), enable_thinking only when the caller sets it.</summary>
    public static JsonObject ReferenceVariables(Conversation conversation)
    {
        var variables = new JsonObject
        {
            ["messages"] = conversation.Reference(),
            ["tools"] = conversation.Tools?.DeepClone(),
            ["documents"] = null,
            ["add_generation_prompt"] = true,
            ["bos_token"] = Bos,
            ["eos_token"] = Eos,
            ["date_string"] = DateString,
            ["datetime"] = DateTime,
        };
        if (conversation.EnableThinking is { } thinking)
        {
            variables["enable_thinking"] = thinking;
        }
        return variables;
    }

    private static JsonArray Messages(params (string Role, string Content)[] turns) =>
        new(turns.Select(t => (JsonNode)new JsonObject { ["role"] = t.Role, ["content"] = t.Content }).ToArray());

    private static JsonArray Without(JsonArray messages, int index)
    {
        messages.RemoveAt(index);
        return messages;
    }
}
