using System.Text.Json;
using System.Text.Json.Nodes;
using Slingshot.Native;
using Slingshot.Native.Handles;

namespace Slingshot;

/// <summary>What a chat template can render, as llama.cpp's template analysis finds it (<c>jinja::caps</c>).</summary>
/// <param name="SupportsSystemRole">A system message appears in the output.</param>
/// <param name="SupportsTools">The template describes the tools it is given.</param>
/// <param name="SupportsToolCalls">The template renders assistant tool calls.</param>
/// <param name="SupportsParallelToolCalls">The template renders several tool calls in one message.</param>
/// <param name="SupportsEnableThinking">The template reads the <c>enable_thinking</c> switch.</param>
public sealed record ChatTemplateCapabilities(
    bool SupportsSystemRole,
    bool SupportsTools,
    bool SupportsToolCalls,
    bool SupportsParallelToolCalls,
    bool SupportsEnableThinking);

/// <summary>
/// A model's Jinja chat template, rendered by llama.cpp's own template engine with the inputs llama-server
/// <c>--jinja</c> gives it (<c>common_chat_templates_apply</c> through the chat bridge): <c>messages</c>,
/// <c>add_generation_prompt</c>, <c>bos_token</c>, <c>eos_token</c>, <c>tools</c>, <c>enable_thinking</c>,
/// <c>date_string</c>, <c>strftime_now</c>, <c>raise_exception</c>, and any extra variables. Thread-safe; parse once,
/// render many times.
/// </summary>
public sealed class JinjaChatTemplate : IDisposable
{
    private readonly SafeChatTemplatesHandle _handle;

    private JinjaChatTemplate(SafeChatTemplatesHandle handle)
    {
        _handle = handle;
        JsonNode description;
        try
        {
            description = JsonNode.Parse(Call(() => ChatBridge.Describe(handle)))!;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        Source = (string?)description["source"] ?? "";
        var toolUse = (string?)description["tool_use_source"];
        ToolUseSource = string.IsNullOrEmpty(toolUse) ? null : toolUse;
        var caps = description["caps"];
        bool Cap(string name) => (bool?)caps?[name] ?? false;
        Capabilities = new ChatTemplateCapabilities(
            Cap("supports_system_role"), Cap("supports_tools"), Cap("supports_tool_calls"), Cap("supports_parallel_tool_calls"),
            (bool?)description["supports_enable_thinking"] ?? false);
    }

    /// <summary>The template text (after llama.cpp's fixes for known template bugs).</summary>
    public string Source { get; }

    /// <summary>The model's separate tool-use template (<c>tokenizer.chat_template.tool_use</c>), used when tools are given.</summary>
    public string? ToolUseSource { get; }

    /// <summary>What the template can render.</summary>
    public ChatTemplateCapabilities Capabilities { get; }

    /// <summary>The model's own template (and its tool-use variant), with its BOS/EOS tokens, as llama-server reads it.</summary>
    /// <exception cref="SlingshotException">The model has no template, or it does not parse.</exception>
    public static JinjaChatTemplate FromModel(LlamaModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Info.ChatTemplate is null)
        {
            throw new SlingshotException($"Model '{System.IO.Path.GetFileName(model.Path)}' has no chat template.");
        }
        return new JinjaChatTemplate(Call(() => ChatBridge.Init(model.Handle, null, null, null)));
    }

    /// <summary>A template text, with the BOS/EOS tokens of <paramref name="model"/>.</summary>
    /// <exception cref="SlingshotException">The text does not parse as a Jinja template.</exception>
    public static JinjaChatTemplate Parse(string source, LlamaModel model)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(model);
        return new JinjaChatTemplate(Call(() => ChatBridge.Init(model.Handle, source, null, null)));
    }

    /// <summary>A template text with explicit BOS/EOS token texts (no model needed).</summary>
    /// <exception cref="SlingshotException">The text does not parse as a Jinja template.</exception>
    public static JinjaChatTemplate Parse(string source, string? bosToken = null, string? eosToken = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        return new JinjaChatTemplate(Call(() => ChatBridge.Init(null, source, bosToken, eosToken)));
    }

    /// <summary>Renders plain turns (roles system, user, assistant, tool).</summary>
    /// <exception cref="SlingshotException">The template refuses the conversation (its own <c>raise_exception</c> message),
    /// or it has no system role and the conversation has a system message.</exception>
    public string Render(IReadOnlyList<ChatTurn> messages, ChatTemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        options ??= new ChatTemplateOptions();
        var array = new JsonArray();
        foreach (var message in messages)
        {
            ChatTemplate.CheckTurn(message);
            array.Add(new JsonObject { ["role"] = message.Role, ["content"] = message.Content });
        }
        return Apply(new ChatTemplateRequest
        {
            Messages = array,
            AddGenerationPrompt = options.AddGenerationPrompt,
            EnableThinking = options.EnableThinking,
            Variables = options.Variables,
        }).Prompt;
    }

    /// <summary>Renders a request into the prompt and what generating its reply needs (grammar, triggers, stops, parser).</summary>
    /// <exception cref="SlingshotException">The request is malformed or the template refuses it; the message says why.</exception>
    public ChatPrompt Apply(ChatTemplateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Capabilities.SupportsSystemRole && request.Messages.Any(m => (string?)m?["role"] == "system"))
        {
            // llama-server would fold the system message into the next one; the model's makers' tooling refuses it,
            // and a silently moved instruction is worse than a clear error.
            throw new InvalidRequestException(
                "This model's chat template has no system role (it rejects or drops system messages); put the instructions in the first user message, or choose another template.",
                "messages");
        }
        var json = request.ToBridgeJson().ToJsonString();
        // What the template raises while rendering a conversation is a refusal of that conversation, not an engine failure.
        return ChatPrompt.FromBridgeJson(JsonNode.Parse(Call(() => ChatBridge.Apply(_handle, json), refusalParam: "messages"))!);
    }

    /// <summary>Parses a reply with the parser of the prompt it answers (content, reasoning, tool calls), as an
    /// OpenAI-style assistant message.</summary>
    internal static JsonObject ParseReply(ChatPrompt prompt, string text, bool isPartial, string? reasoningFormat = null)
    {
        var parameters = new JsonObject
        {
            ["format"] = prompt.Format,
            ["parser"] = prompt.Parser,
            ["generation_prompt"] = prompt.GenerationPrompt,
            ["reasoning_format"] = reasoningFormat ?? "none",
        };
        return JsonNode.Parse(Call(() => ChatBridge.Parse(text, isPartial, parameters.ToJsonString())))!.AsObject();
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    /// <summary>
    /// Shortens llama.cpp's template errors to what a user acts on: "... While executing X at line 3, column 7 in source:
    /// ...excerpt... ^ Error: Jinja Exception: text" says the template itself refused (its raise_exception text), any
    /// other "Error: ..." is a failure at a place in the template.
    /// </summary>
    internal static string Tidy(string message)
    {
        const string raised = "Error: Jinja Exception: ";
        var at = message.LastIndexOf(raised, StringComparison.Ordinal);
        if (at >= 0)
        {
            return $"the template refuses this conversation: {message[(at + raised.Length)..].Trim()}";
        }
        var place = System.Text.RegularExpressions.Regex.Match(message, @"While executing \w+ at line (\d+), column (\d+).*\^\s*Error: (.*)$");
        return place.Success ? $"{place.Groups[3].Value.Trim()} (template line {place.Groups[1].Value}, column {place.Groups[2].Value})" : message;
    }

    /// <summary>
    /// Runs a bridge call, turning its failures into one-line Slingshot errors; the bridge's own refusals become an
    /// <see cref="InvalidRequestException"/> naming <paramref name="refusalParam"/> when the input is the caller's.
    /// </summary>
    internal static T Call<T>(Func<T> call, string? refusalParam = null)
    {
        try
        {
            return call();
        }
        catch (ChatBridgeException ex) when (refusalParam is not null)
        {
            throw new InvalidRequestException($"Chat template: {Tidy(ex.Message)}", refusalParam, ex);
        }
        catch (ChatBridgeException ex)
        {
            throw new SlingshotException($"Chat template: {Tidy(ex.Message)}", ex);
        }
        catch (LlamaLibraryException ex)
        {
            throw new SlingshotException(ex.Message, ex);
        }
        catch (JsonException ex)
        {
            throw new SlingshotException($"Chat template: the bridge returned malformed JSON ({ex.Message}).", ex);
        }
    }
}
