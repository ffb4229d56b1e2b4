namespace Slingshot.Strategies.Extraction;

/// <summary>
/// Finds Markdown fenced code blocks (<c>```python ... ```</c>) in a model's answer. The one fence reader:
/// code extraction (<see cref="CodeBlockExtractor"/>, hence grading and the unit-test verifier) and the JSON
/// schema verifier both read blocks through it, so a block counts the same everywhere.
/// </summary>
internal static class FencedCodeBlock
{
    private const string Fence = "```";

    /// <summary>
    /// The content of the first fenced block whose language is one of <paramref name="languages"/>
    /// (case-insensitive) or unlabelled, or null when there is none. A fence may be longer than three
    /// backticks and may be indented (a block inside a list item); indentation shared with the opening
    /// fence is removed, so an indented block reads as the code it shows. A block the model never closed
    /// (it ran out of tokens) runs to the end of the text. A closing fence is a line of backticks only.
    /// </summary>
    public static string? Find(string text, params string[] languages)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var open = 0; open < lines.Length; open++)
        {
            var opening = lines[open].TrimStart();
            if (!opening.StartsWith(Fence, StringComparison.Ordinal))
            {
                continue;
            }
            var language = opening.TrimStart('`').Trim().Split(' ', 2)[0];
            var indent = lines[open].Length - opening.Length;
            var close = open + 1;
            while (close < lines.Length && !IsClosingFence(lines[close]))
            {
                close++;
            }
            if (language.Length == 0 || languages.Contains(language, StringComparer.OrdinalIgnoreCase))
            {
                var content = lines[(open + 1)..close].Select(line => Unindent(line, indent));
                return string.Join("\n", content) + "\n";
            }
            open = close;
        }
        return null;
    }

    private static bool IsClosingFence(string line)
    {
        var trimmed = line.Trim();
        return trimmed.StartsWith(Fence, StringComparison.Ordinal) && trimmed.TrimStart('`').Length == 0;
    }

    /// <summary>The line without up to <paramref name="indent"/> leading spaces or tabs (the fence's own indentation).</summary>
    private static string Unindent(string line, int indent)
    {
        var removable = 0;
        while (removable < indent && removable < line.Length && line[removable] is ' ' or '\t')
        {
            removable++;
        }
        return line[removable..];
    }
}
