using System.Runtime.InteropServices;
using System.Text;
using Slingshot.Native.Interop;

namespace Slingshot;

/// <summary>One message of a chat prompt.</summary>
/// <param name="Role">"system", "user" or "assistant".</param>
/// <param name="Content">The text.</param>
public readonly record struct ChatTurn(string Role, string Content);

/// <summary>
/// Renders chat messages into a prompt. A Jinja template (the model's own, or an override text) is rendered by
/// llama.cpp's template engine exactly as llama-server <c>--jinja</c> and the model makers' tooling render it
/// (<see cref="JinjaChatTemplate"/>); a built-in template name such as "chatml", "llama3", "phi3" or "gemma" selects
/// llama.cpp's hand-written format instead (llama_chat_apply_template). A model without a template gets a clear error
/// unless a fallback is chosen, never silently mis-formatted text.
/// </summary>
public static class ChatTemplate
{
    private static readonly Lazy<IReadOnlyList<string>> s_builtInNames = new(ReadBuiltInNames);

    /// <summary>The names of llama.cpp's built-in templates.</summary>
    public static IReadOnlyList<string> BuiltInNames => s_builtInNames.Value;

    private static unsafe string[] ReadBuiltInNames()
    {
        LlamaRuntime.EnsureLoaded();
        var count = LlamaNative.llama_chat_builtin_templates(null, 0);
        var names = new byte*[count];
        fixed (byte** p = names)
        {
            LlamaNative.llama_chat_builtin_templates(p, (nuint)count);
        }
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = LlamaNative.ReadString(names[i]) ?? string.Empty;
        }
        return result;
    }

    /// <summary>Renders <paramref name="messages"/> for <paramref name="model"/>.</summary>
    /// <param name="model">The model whose template is used unless <paramref name="template"/> is given.</param>
    /// <param name="messages">The conversation.</param>
    /// <param name="addAssistantPrefix">End with the tokens that open the assistant's reply.</param>
    /// <param name="template">Override: a built-in name or a template text.</param>
    /// <param name="fallback">Used only when the model has no template and no override is given.</param>
    public static string Apply(LlamaModel model, IReadOnlyList<ChatTurn> messages, bool addAssistantPrefix = true,
        string? template = null, string? fallback = null) =>
        Apply(model, messages, new ChatTemplateOptions { AddGenerationPrompt = addAssistantPrefix, Template = template, Fallback = fallback });

    /// <summary>Renders <paramref name="messages"/> for <paramref name="model"/> with <paramref name="options"/>.</summary>
    /// <exception cref="SlingshotException">No template to use, or the template refuses the conversation (the message says why).</exception>
    public static string Apply(LlamaModel model, IReadOnlyList<ChatTurn> messages, ChatTemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(options);
        var chosen = options.Template ?? model.Info.ChatTemplate ?? options.Fallback
            ?? throw new InvalidRequestException(
                $"Model '{System.IO.Path.GetFileName(model.Path)}' has no chat template; choose one (for example --chat-template chatml) or send a plain prompt.", "messages");
        if (IsBuiltInName(chosen))
        {
            return Render(chosen, messages, options.AddGenerationPrompt);
        }
        var jinja = options.Template is null && model.Info.ChatTemplate is not null
            ? ModelChatTemplates.Own(model)
            : ModelChatTemplates.Override(model, chosen);
        return jinja.Render(messages, options);
    }

    /// <summary>Whether <paramref name="template"/> names one of llama.cpp's built-in formats rather than being a template text.</summary>
    public static bool IsBuiltInName(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Length < 64 && !template.Contains("{%", StringComparison.Ordinal) && !template.Contains("{{", StringComparison.Ordinal)
            && BuiltInNames.Contains(template, StringComparer.Ordinal);
    }

    /// <summary>Renders with llama.cpp's hand-written formats (llama_chat_apply_template): a built-in name, or a template
    /// text llama.cpp recognizes by its markers. <see cref="Apply(LlamaModel, IReadOnlyList{ChatTurn}, ChatTemplateOptions)"/>
    /// renders template texts exactly instead.</summary>
    public static unsafe string Render(string template, IReadOnlyList<ChatTurn> messages, bool addAssistantPrefix = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(template);
        ArgumentNullException.ThrowIfNull(messages);
        LlamaRuntime.EnsureLoaded();
        foreach (var message in messages)
        {
            CheckTurn(message);
        }

        var pinned = new List<GCHandle>();
        try
        {
            byte* Pin(string s)
            {
                var bytes = Encoding.UTF8.GetBytes(s + "\0");
                var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
                pinned.Add(handle);
                return (byte*)handle.AddrOfPinnedObject();
            }

            var native = new LlamaChatMessage[messages.Count];
            var totalLength = 0;
            for (var i = 0; i < messages.Count; i++)
            {
                native[i] = new LlamaChatMessage { Role = Pin(messages[i].Role), Content = Pin(messages[i].Content) };
                totalLength += Encoding.UTF8.GetByteCount(messages[i].Content) + 64;
            }
            var tmpl = Pin(template);
            var size = Math.Max(256, totalLength * 2);
            while (true)
            {
                var buffer = new byte[size];
                int n;
                fixed (LlamaChatMessage* m = native)
                fixed (byte* b = buffer)
                {
                    n = LlamaNative.llama_chat_apply_template(tmpl, m, (nuint)native.Length, addAssistantPrefix, b, size);
                }
                if (n < 0)
                {
                    var shown = template.Length > 40 ? template[..40].ReplaceLineEndings(" ") + "..." : template;
                    throw new SlingshotException(
                        $"Chat template '{shown}' is not one llama.cpp can render; use a built-in name ({string.Join(", ", BuiltInNames.Take(8))}, ...).");
                }
                if (n <= size)
                {
                    return Encoding.UTF8.GetString(buffer, 0, n);
                }
                size = n;
            }
        }
        finally
        {
            foreach (var handle in pinned)
            {
                handle.Free();
            }
        }
    }

    /// <summary>Refuses a turn no template can render: an unknown role or missing content.</summary>
    internal static void CheckTurn(ChatTurn message)
    {
        if (message.Role is not ("system" or "user" or "assistant" or "tool"))
        {
            throw new ArgumentException($"Unknown chat role '{message.Role}' (expected system, user, assistant or tool).", "messages");
        }
        ArgumentNullException.ThrowIfNull(message.Content, "messages");
    }
}
