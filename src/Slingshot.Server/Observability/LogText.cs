using System.Text;

namespace Slingshot.Server.Observability;

/// <summary>Client-chosen text (paths, methods, model names) made safe for a log line or an error message: bounded, one line.</summary>
internal static class LogText
{
    /// <summary>At most <paramref name="max"/> characters, control characters replaced, "…" where it was cut.</summary>
    public static string Bounded(string? text, int max = 128)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var cut = text.Length > max;
        var span = cut ? text.AsSpan(0, char.IsHighSurrogate(text[max - 1]) ? max - 1 : max) : text.AsSpan();
        var result = new StringBuilder(span.Length + 1);
        foreach (var c in span)
        {
            result.Append(char.IsControl(c) ? '?' : c);
        }
        return cut ? result.Append('…').ToString() : result.ToString();
    }
}
