using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Slingshot.Native;

namespace Slingshot;

/// <summary>
/// The parsed Jinja templates of each loaded model (its own, and any override texts used with it), so a template is
/// parsed once per model rather than once per request, and the load-time check that reports a template that cannot
/// render before the first request does.
/// </summary>
internal static class ModelChatTemplates
{
    private sealed class Entry
    {
        public Lazy<JinjaChatTemplate>? Own;
        public readonly ConcurrentDictionary<string, Lazy<JinjaChatTemplate>> Overrides = new(StringComparer.Ordinal);
    }

    private static readonly ConditionalWeakTable<LlamaModel, Entry> s_entries = [];

    /// <summary>The model's own template, parsed on first use (a parse failure is rethrown on every use).</summary>
    public static JinjaChatTemplate Own(LlamaModel model)
    {
        var entry = s_entries.GetValue(model, _ => new Entry());
        var own = entry.Own ?? Interlocked.CompareExchange(ref entry.Own, new Lazy<JinjaChatTemplate>(() => JinjaChatTemplate.FromModel(model)), null) ?? entry.Own;
        return own.Value;
    }

    /// <summary>An override template text, parsed on first use with the model's BOS/EOS tokens.</summary>
    public static JinjaChatTemplate Override(LlamaModel model, string source) =>
        s_entries.GetValue(model, _ => new Entry()).Overrides
            .GetOrAdd(source, text => new Lazy<JinjaChatTemplate>(() => JinjaChatTemplate.Parse(text, model)))
            .Value;

    /// <summary>
    /// Why the model's own template cannot render a plain conversation (user, assistant, user), or null when it can,
    /// when the model has none, or when it names a built-in format. Called when a model loads.
    /// </summary>
    public static string? Check(LlamaModel model)
    {
        if (model.Info.ChatTemplate is not { } source || ChatTemplate.IsBuiltInName(source))
        {
            return null;
        }
        try
        {
            var template = Own(model);
            template.Render([new("user", "Hello."), new("assistant", "Hi."), new("user", "How are you?")]);
            if (!template.Capabilities.SupportsSystemRole)
            {
                LlamaLog.Information($"The chat template of '{Path.GetFileName(model.Path)}' has no system role; system messages will be refused.");
            }
            return null;
        }
        catch (SlingshotException ex)
        {
            var problem = ex.Message;
            LlamaLog.Warning($"The chat template of '{Path.GetFileName(model.Path)}' cannot render a conversation: {problem} Chat requests need --chat-template (a built-in name such as chatml, or a template file's text).");
            return problem;
        }
    }
}
