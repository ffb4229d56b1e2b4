using Microsoft.Extensions.AI;

namespace Slingshot;

/// <summary>A chat request ready for the engine, with the reader of its replies. Built by <see cref="LlamaChatClient.PrepareChat"/>.</summary>
/// <param name="Request">What the engine generates.</param>
/// <param name="Reader">Splits each reply into text, reasoning and tool calls.</param>
internal sealed record PreparedChat(GenerationRequest Request, ChatReplyReader Reader)
{
    public PreparedChat(GenerationRequest request, ChatPrompt? prompt, bool parsesReply, string reasoningFormat)
        : this(request, new ChatReplyReader(prompt, parsesReply, reasoningFormat))
    {
    }
}

/// <summary>
/// Reads the replies to one rendered conversation: where they have structure (tools were offered, or the template
/// thinks) it splits them into text, reasoning and tool calls with llama.cpp's parser of the template's format;
/// otherwise a reply is its text. Got from <see cref="LlamaChatClient.GetReplyReader"/>.
/// </summary>
public sealed class ChatReplyReader
{
    private readonly ChatPrompt? _prompt;
    private readonly bool _parsesReply;
    private readonly string _reasoningFormat;

    internal ChatReplyReader(ChatPrompt? prompt, bool parsesReply, string reasoningFormat)
    {
        _prompt = prompt;
        _parsesReply = parsesReply;
        _reasoningFormat = reasoningFormat;
    }

    /// <summary>Whether replies are split into text, reasoning and tool calls; otherwise a reply is its text.</summary>
    public bool ParsesReply => _parsesReply && _prompt is not null;

    /// <summary>A finished sample's text as a reply.</summary>
    public ChatReply ParseReply(string text) =>
        ParsesReply ? ChatReply.Parse(_prompt!, text, isPartial: false, _reasoningFormat) : new ChatReply(text, "", []);

    /// <summary>A follower of one streamed sample, or null when replies are plain text.</summary>
    public ChatReplyStream? StartStream() => ParsesReply ? new ChatReplyStream(_prompt!, _reasoningFormat) : null;
}

/// <summary>Keys of <see cref="ChatOptions.AdditionalProperties"/> that <see cref="LlamaChatClient"/> reads.</summary>
public static class LlamaChatOptionKeys
{
    /// <summary>llama.cpp's reasoning format for replies of thinking templates: "auto" (the default: the thinking goes
    /// into a <see cref="TextReasoningContent"/>) or "none" (it stays in the text).</summary>
    public const string ReasoningFormat = "reasoning_format";

    /// <summary>The template's thinking switch (<c>enable_thinking</c>), a bool; absent leaves the template's default.</summary>
    public const string EnableThinking = "enable_thinking";
}

/// <summary>
/// Renders a Microsoft.Extensions.AI conversation with the model's Jinja template through llama.cpp's chat machinery,
/// tools included, and maps what the format needs onto the engine request: the tool-call grammar (lazy under
/// <c>auto</c>, from the first token under <c>required</c>), its triggers, the format's stop strings and the special
/// tokens its parser must see.
/// </summary>
internal static class ChatPreparation
{
    public static PreparedChat Prepare(LlamaModel model, LlamaChatClientOptions clientOptions, IReadOnlyList<ChatMessage> messages, ChatOptions? options,
        Func<string, ChatOptions?, GenerationRequest> buildPromptRequest)
    {
        var chosen = clientOptions.ChatTemplate ?? model.Info.ChatTemplate ?? clientOptions.FallbackChatTemplate
            ?? throw new InvalidRequestException(
                $"Model '{Path.GetFileName(model.Path)}' has no chat template; choose one (for example --chat-template chatml) or send a plain prompt.", "messages");
        var structured = ChatToolRequests.NeedsStructuredRendering(messages, options);
        if (ChatTemplate.IsBuiltInName(chosen))
        {
            if (structured)
            {
                throw new ArgumentException(
                    $"Tools, tool calls and reasoning need the model's Jinja chat template; the built-in format '{chosen}' cannot render them.", nameof(options));
            }
            var turns = messages.Select(m => new ChatTurn(m.Role.Value, m.Text)).ToList();
            return new PreparedChat(buildPromptRequest(ChatTemplate.Render(chosen, turns), options), null, false, "none");
        }
        var template = clientOptions.ChatTemplate is null && model.Info.ChatTemplate is not null
            ? ModelChatTemplates.Own(model)
            : ModelChatTemplates.Override(model, chosen);

        var (tools, choice) = ChatToolRequests.Tools(options);
        var offersTools = tools is not null && choice != "none";
        var reasoningFormat = Extra<string>(options, LlamaChatOptionKeys.ReasoningFormat) ?? "auto";
        if (reasoningFormat is not ("auto" or "none"))
        {
            throw new ArgumentException($"Reasoning format '{reasoningFormat}' is not known (auto, none).", nameof(options));
        }
        // With tools, a JSON schema joins the tool-call grammar (llama.cpp builds one grammar for both).
        var schema = offersTools && options?.ResponseFormat is ChatResponseFormatJson { Schema: { } s } ? System.Text.Json.Nodes.JsonNode.Parse(s.GetRawText()) : null;
        var prompt = template.Apply(new ChatTemplateRequest
        {
            Messages = ChatToolRequests.Messages(messages),
            Tools = tools,
            ToolChoice = choice,
            ParallelToolCalls = options?.AllowMultipleToolCalls ?? template.Capabilities.SupportsParallelToolCalls,
            EnableThinking = Extra<bool?>(options, LlamaChatOptionKeys.EnableThinking),
            ReasoningFormat = reasoningFormat,
            JsonSchema = schema,
        });

        var rest = options?.Clone();
        if (rest is not null)
        {
            rest.Tools = null;
            rest.ToolMode = null;
            if (schema is not null)
            {
                rest.ResponseFormat = null;
            }
        }
        var request = buildPromptRequest(prompt.Prompt, rest);
        if (offersTools && prompt.Grammar.Length > 0)
        {
            request = request with
            {
                Sampling = request.Sampling with
                {
                    Grammar = prompt.GrammarLazy ? prompt.Grammar : CallFirst(prompt.Grammar),
                    GrammarTriggers = prompt.GrammarLazy ? GrammarTriggers.FromChatPrompt(prompt, model.Vocabulary) : null,
                    // A grammar in force from the first token begins with the generation prompt, which the prompt already holds.
                    GrammarPrefill = prompt.GrammarLazy ? null : PrefillTokens(model.Vocabulary, prompt.GenerationPrompt),
                },
            };
        }
        var preserved = prompt.PreservedTokens
            .Select(t => model.Vocabulary.Tokenize(t, addSpecial: false, parseSpecial: true))
            .Where(ids => ids.Length == 1).Select(ids => ids[0]).ToHashSet();
        request = request with
        {
            StopSequences = [.. request.StopSequences, .. prompt.AdditionalStops],
            PreservedTokens = preserved.Count > 0 ? preserved : null,
        };
        var parses = offersTools || (prompt.SupportsThinking && reasoningFormat != "none");
        return new PreparedChat(request, prompt, parses, reasoningFormat);
    }

    /// <summary>
    /// A required call's grammar with the call right after the generation prompt. llama.cpp's lets free text come first
    /// (an optional <c>until-N</c> rule in <c>root</c>), and a small or random model can fill its whole budget with text
    /// and never call, which <c>tool_choice: "required"</c> promises it will not.
    /// </summary>
    internal static string CallFirst(string grammar) =>
        System.Text.RegularExpressions.Regex.Replace(grammar, @"^(root ::= .*?) until-[0-9]+\?(?= )", "$1", System.Text.RegularExpressions.RegexOptions.Multiline);

    /// <summary>The generation prompt's tokens, as llama.cpp's sampler prefills them: a leading space some tokenizers put
    /// before a first special token is not part of the text.</summary>
    private static int[] PrefillTokens(Vocabulary vocabulary, string generationPrompt)
    {
        if (generationPrompt.Length == 0)
        {
            return [];
        }
        var tokens = vocabulary.Tokenize(generationPrompt, addSpecial: false, parseSpecial: true);
        var first = tokens.Length > 0 ? vocabulary.Detokenize([tokens[0]], renderSpecial: true) : "";
        return first.Length > 0 && char.IsWhiteSpace(first[0]) && !char.IsWhiteSpace(generationPrompt[0]) ? tokens[1..] : tokens;
    }

    private static T? Extra<T>(ChatOptions? options, string key) =>
        options?.AdditionalProperties is { } extra && extra.TryGetValue(key, out T? value) ? value : default;
}
