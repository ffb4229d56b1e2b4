namespace Slingshot.Strategies.Verification;

/// <summary>Turns program output and long values into the one short line a verdict's reason must be.</summary>
internal static class VerdictText
{
    /// <summary>Longest reason detail kept; a traceback's last line fits, a whole dump does not.</summary>
    public const int MaxLength = 200;

    /// <summary>The last non-blank line of <paramref name="text"/>, trimmed, or null when there is none.</summary>
    public static string? LastLine(string? text) =>
        text?.Split('\n').Select(line => line.Trim()).LastOrDefault(line => line.Length > 0);

    /// <summary>The last line of <paramref name="preferred"/>, else of <paramref name="fallback"/>, shortened.</summary>
    public static string? LastLine(string? preferred, string? fallback) =>
        LastLine(preferred) is { } line ? Shorten(line) : LastLine(fallback) is { } other ? Shorten(other) : null;

    /// <summary><paramref name="text"/> on one line and at most <paramref name="maxLength"/> characters, marked with an ellipsis when cut.</summary>
    public static string Shorten(string text, int maxLength = MaxLength)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= maxLength ? oneLine : oneLine[..(maxLength - 1)] + "…";
    }

    /// <summary>"<paramref name="head"/>: <paramref name="detail"/>", or just the head when there is no detail.</summary>
    public static string WithDetail(string head, string? detail) => detail is null ? head : $"{head}: {detail}";
}
