using System.Text;
using Slingshot.Native.Interop;

namespace Slingshot;

/// <summary>
/// What switches a lazy grammar on (llama.cpp's <c>llama_sampler_init_grammar_lazy_patterns</c>): until a trigger
/// appears the model writes freely; from the trigger on, the grammar holds. Chat formats use it so a model may answer
/// in text or call a tool, and a call, once begun, always parses.
/// </summary>
public sealed record GrammarTriggers
{
    /// <summary>Regular expressions matched against the whole output so far; the grammar is fed from the first group of
    /// the first match (or the whole match).</summary>
    public IReadOnlyList<string> Patterns { get; init; } = [];

    /// <summary>Tokens that trigger the grammar (fed from the token itself).</summary>
    public IReadOnlyList<int> Tokens { get; init; } = [];

    /// <summary>The triggers of a rendered chat prompt, as llama-server turns them into sampler triggers: a word that is
    /// one token becomes a token trigger, other words an escaped pattern, a full pattern an anchored one.</summary>
    public static GrammarTriggers FromChatPrompt(ChatPrompt prompt, Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(vocabulary);
        var patterns = new List<string>();
        var tokens = new List<int>();
        foreach (var trigger in prompt.GrammarTriggers)
        {
            switch (trigger.Type)
            {
                case 0 when trigger.Token is { } token:
                    tokens.Add(token);
                    break;
                case 1:
                    var ids = vocabulary.Tokenize(trigger.Value, addSpecial: false, parseSpecial: true);
                    if (ids.Length == 1)
                    {
                        tokens.Add(ids[0]);
                    }
                    else
                    {
                        patterns.Add(EscapeRegex(trigger.Value));
                    }
                    break;
                case 2:
                    patterns.Add(trigger.Value);
                    break;
                case 3:
                    var value = trigger.Value;
                    patterns.Add(value.Length == 0 ? "^$" : (value[0] == '^' ? "" : "^") + value + (value[^1] == '$' ? "" : "$"));
                    break;
                default:
                    throw new SlingshotException($"Unknown grammar trigger type {trigger.Type} from the chat format.");
            }
        }
        return new GrammarTriggers { Patterns = patterns, Tokens = tokens };
    }

    /// <summary>llama.cpp's regex_escape: the ECMAScript metacharacters get a backslash.</summary>
    internal static string EscapeRegex(string text)
    {
        var escaped = new StringBuilder(text.Length * 2);
        foreach (var c in text)
        {
            if (".^$|()*+?[]{}\\".Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>The lazy grammar sampler (NULL when the grammar or a pattern does not parse).</summary>
    internal unsafe nint CreateSampler(Vocabulary vocabulary, string grammar)
    {
        var texts = Patterns.Select(p => Encoding.UTF8.GetBytes(p + "\0")).ToArray();
        var handles = texts.Select(t => System.Runtime.InteropServices.GCHandle.Alloc(t, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
        try
        {
            var pointers = handles.Select(h => (nint)h.AddrOfPinnedObject()).ToArray();
            var tokenIds = Tokens.ToArray();
            fixed (byte* g = Encoding.UTF8.GetBytes(grammar + "\0"))
            fixed (byte* root = "root\0"u8)
            fixed (nint* p = pointers)
            fixed (int* t = tokenIds)
            {
                return LlamaNative.llama_sampler_init_grammar_lazy_patterns(vocabulary.NativeVocab, g, root,
                    (byte**)p, (nuint)pointers.Length, t, (nuint)tokenIds.Length);
            }
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Free();
            }
        }
    }
}
