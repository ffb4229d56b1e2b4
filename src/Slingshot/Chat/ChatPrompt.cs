using System.Text.Json.Nodes;

namespace Slingshot;

/// <summary>
/// What a Jinja chat template is asked to render: OpenAI-style messages plus the variables Hugging Face's
/// <c>apply_chat_template</c> and llama-server pass to the template (tools, the generation prompt switch, the thinking
/// switch, extra template variables such as <c>date_string</c>).
/// </summary>
public sealed record ChatTemplateRequest
{
    /// <summary>OpenAI-style messages: <c>{"role", "content"}</c>, assistant <c>tool_calls</c>, tool results with
    /// <c>tool_call_id</c> and <c>name</c>, and <c>reasoning_content</c> on assistant messages.</summary>
    public required JsonArray Messages { get; init; }

    /// <summary>OpenAI-style tools (<c>{"type": "function", "function": {...}}</c>), or null for none.</summary>
    public JsonArray? Tools { get; init; }

    /// <summary>"auto", "none" or "required"; null means auto.</summary>
    public string? ToolChoice { get; init; }

    /// <summary>Whether the model may call several tools in one turn.</summary>
    public bool ParallelToolCalls { get; init; }

    /// <summary>End with the tokens that open the assistant's reply (default true).</summary>
    public bool AddGenerationPrompt { get; init; } = true;

    /// <summary>The thinking switch of reasoning templates (<c>enable_thinking</c>); null leaves it on, as llama-server does.</summary>
    public bool? EnableThinking { get; init; }

    /// <summary>llama.cpp's reasoning format for the output parser ("none", "auto", "deepseek", "deepseek-legacy");
    /// null is "none".</summary>
    public string? ReasoningFormat { get; init; }

    /// <summary>Extra template variables (llama-server's <c>chat_template_kwargs</c>), for example <c>date_string</c> or
    /// <c>reasoning_effort</c>; they override the defaults of the same name.</summary>
    public IReadOnlyDictionary<string, JsonNode?>? Variables { get; init; }

    /// <summary>A JSON schema the reply must follow, or null.</summary>
    public JsonNode? JsonSchema { get; init; }

    /// <summary>A GBNF grammar the reply must follow, or null.</summary>
    public string? Grammar { get; init; }

    /// <summary>The request as the chat bridge reads it.</summary>
    internal JsonObject ToBridgeJson()
    {
        var json = new JsonObject
        {
            ["messages"] = Messages.DeepClone(),
            ["add_generation_prompt"] = AddGenerationPrompt,
            ["parallel_tool_calls"] = ParallelToolCalls,
        };
        if (Tools is { Count: > 0 })
        {
            json["tools"] = Tools.DeepClone();
        }
        if (ToolChoice is not null)
        {
            json["tool_choice"] = ToolChoice;
        }
        if (EnableThinking is { } thinking)
        {
            json["enable_thinking"] = thinking;
        }
        if (ReasoningFormat is not null)
        {
            json["reasoning_format"] = ReasoningFormat;
        }
        if (Variables is { Count: > 0 })
        {
            var kwargs = new JsonObject();
            foreach (var (name, value) in Variables)
            {
                kwargs[name] = value?.DeepClone();
            }
            json["chat_template_kwargs"] = kwargs;
        }
        if (JsonSchema is not null)
        {
            json["json_schema"] = JsonSchema.DeepClone();
        }
        if (Grammar is not null)
        {
            json["grammar"] = Grammar;
        }
        return json;
    }
}

/// <summary>A trigger that switches a lazy grammar on (llama.cpp's <c>common_grammar_trigger</c>).</summary>
/// <param name="Type">0 token, 1 word, 2 pattern, 3 full pattern.</param>
/// <param name="Value">The word or pattern.</param>
/// <param name="Token">The token id for a token trigger, else null.</param>
public sealed record ChatGrammarTrigger(int Type, string Value, int? Token);

/// <summary>
/// A rendered chat prompt and what generating its reply needs, exactly as llama-server computes them
/// (<c>common_chat_templates_apply</c>): the grammar that forces a parseable tool call, the words that switch a lazy
/// grammar on, extra stop strings, and the output parser.
/// </summary>
public sealed record ChatPrompt
{
    /// <summary>The prompt text, special tokens as text (tokenize with special-token parsing). A BOS the
    /// tokenizer adds by itself is left out, as llama-server leaves it out.</summary>
    public required string Prompt { get; init; }

    /// <summary>llama.cpp's chat format id (0 content only, then its PEG formats).</summary>
    public int Format { get; init; }

    /// <summary>The chat format's name, e.g. "peg-native".</summary>
    public string FormatName { get; init; } = "";

    /// <summary>GBNF grammar constraining the reply (tool calls, a JSON schema), or empty.</summary>
    public string Grammar { get; init; } = "";

    /// <summary>Whether the grammar applies only after a trigger.</summary>
    public bool GrammarLazy { get; init; }

    /// <summary>Triggers of a lazy grammar.</summary>
    public IReadOnlyList<ChatGrammarTrigger> GrammarTriggers { get; init; } = [];

    /// <summary>Strings that must stay single special tokens.</summary>
    public IReadOnlyList<string> PreservedTokens { get; init; } = [];

    /// <summary>Stop strings the format adds.</summary>
    public IReadOnlyList<string> AdditionalStops { get; init; } = [];

    /// <summary>The text the template appends to open the reply (the parser reads it back in front of the output).</summary>
    public string GenerationPrompt { get; init; } = "";

    /// <summary>Whether the template has a thinking part.</summary>
    public bool SupportsThinking { get; init; }

    /// <summary>The tag that opens the thinking part, e.g. "&lt;think&gt;".</summary>
    public string ThinkingStartTag { get; init; } = "";

    /// <summary>Tags that close the thinking part.</summary>
    public IReadOnlyList<string> ThinkingEndTags { get; init; } = [];

    /// <summary>The serialized output parser (llama.cpp's PEG arena) for this prompt's reply.</summary>
    public string Parser { get; init; } = "";

    internal static ChatPrompt FromBridgeJson(JsonNode json) => new()
    {
        Prompt = (string?)json["prompt"] ?? "",
        Format = (int?)json["format"] ?? 0,
        FormatName = (string?)json["format_name"] ?? "",
        Grammar = (string?)json["grammar"] ?? "",
        GrammarLazy = (bool?)json["grammar_lazy"] ?? false,
        GrammarTriggers = json["grammar_triggers"]?.AsArray()
            .Select(t => new ChatGrammarTrigger((int?)t!["type"] ?? 0, (string?)t["value"] ?? "", (int?)t["token"]))
            .ToArray() ?? [],
        PreservedTokens = Strings(json["preserved_tokens"]),
        AdditionalStops = Strings(json["additional_stops"]),
        GenerationPrompt = (string?)json["generation_prompt"] ?? "",
        SupportsThinking = (bool?)json["supports_thinking"] ?? false,
        ThinkingStartTag = (string?)json["thinking_start_tag"] ?? "",
        ThinkingEndTags = Strings(json["thinking_end_tags"]),
        Parser = (string?)json["parser"] ?? "",
    };

    private static string[] Strings(JsonNode? array) => array?.AsArray().Select(s => (string?)s ?? "").ToArray() ?? [];
}
