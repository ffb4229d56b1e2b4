namespace Slingshot.Generation;

/// <summary>
/// Finds stop sequences in streamed text, also when one spans several tokens: text that could still be
/// the start of a stop sequence is held back until the next token decides.
/// </summary>
internal sealed class StopSequenceMatcher
{
    private readonly IReadOnlyList<string> _stops;
    private string _held = string.Empty;

    public StopSequenceMatcher(IReadOnlyList<string> stops) => _stops = stops;

    /// <summary>Adds text; returns what is safe to emit, and whether a stop sequence ended the text.</summary>
    public (string Emit, bool Stopped) Append(string text)
    {
        if (_stops.Count == 0)
        {
            return (text, false);
        }
        var buffer = _held + text;
        var first = -1;
        foreach (var stop in _stops)
        {
            var at = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }
        if (first >= 0)
        {
            _held = string.Empty;
            return (buffer[..first], true);
        }
        var keep = LongestSuffixThatStartsAStop(buffer);
        _held = buffer[(buffer.Length - keep)..];
        return (buffer[..(buffer.Length - keep)], false);
    }

    /// <summary>Releases held text at the end of a sample.</summary>
    public string Flush()
    {
        var held = _held;
        _held = string.Empty;
        return held;
    }

    private int LongestSuffixThatStartsAStop(string buffer)
    {
        var best = 0;
        foreach (var stop in _stops)
        {
            for (var length = Math.Min(stop.Length - 1, buffer.Length); length > best; length--)
            {
                if (buffer.AsSpan(buffer.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    best = length;
                    break;
                }
            }
        }
        return best;
    }
}
