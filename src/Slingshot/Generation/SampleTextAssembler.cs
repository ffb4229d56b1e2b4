namespace Slingshot.Generation;

/// <summary>
/// One sample's text as its tokens arrive: UTF-8 decoded across tokens, stop sequences applied, and the tokens kept
/// in step with the text. Every token's text begins at an offset of the decoded stream; a token is shown once the
/// text handed out reaches past that offset. When a stop sequence cuts the text, the tokens wholly inside the cut
/// part (their text begins at or after the cut) do not belong to the sample, so its tokens and log-probabilities
/// match its text. A token that straddles the cut stays: the text keeps its beginning.
/// </summary>
internal sealed class SampleTextAssembler(TokenTextDecoder decoder, StopSequenceMatcher stop)
{
    private readonly List<int> _starts = []; // offset in the decoded stream where each token's text begins
    private int _decoded;
    private int _released;
    private bool _ended;

    /// <summary>Characters handed out so far (after a stop: the length of the text, the cut).</summary>
    public int Emitted { get; private set; }

    /// <summary>
    /// Tokens the text handed out so far shows: those whose text begins before its end; every token once the sample
    /// ended without a stop sequence.
    /// </summary>
    public int ShownTokens => _ended ? _starts.Count : CountStartingBefore(Emitted);

    /// <summary>Adds a token; returns the text that became final and whether a stop sequence ended the sample.</summary>
    public (string Emit, bool Stopped) Append(int token)
    {
        _starts.Add(_decoded);
        var text = decoder.Append(token);
        _decoded += text.Length;
        var (emit, stopped) = stop.Append(text);
        Emitted += emit.Length;
        return (emit, stopped);
    }

    /// <summary>
    /// The rest of the text when no stop sequence ended the sample (end of generation, token limit): incomplete
    /// UTF-8 bytes become replacement characters and text held for a possible stop sequence is released.
    /// </summary>
    public string Flush()
    {
        var rest = stop.Append(decoder.Flush()).Emit + stop.Flush();
        Emitted += rest.Length;
        _ended = true;
        return rest;
    }

    /// <summary>The text held for a possible stop sequence, when a sample is cancelled (incomplete bytes are dropped).</summary>
    public string FlushHeld()
    {
        var held = stop.Flush();
        Emitted += held.Length;
        _ended = true;
        return held;
    }

    /// <summary>
    /// The tokens shown since the last call, each with its piece of <paramref name="emitted"/> (the text the last
    /// Append or Flush returned), in order. Text ahead of the first new token's own (the end of a token shown earlier)
    /// goes with the first; text that no new token begins comes back as one piece with index -1.
    /// </summary>
    public List<(int Index, string Text)> TakeShown(string emitted)
    {
        var shown = ShownTokens;
        var start = Emitted - emitted.Length;
        var pieces = new List<(int Index, string Text)>(Math.Max(1, shown - _released));
        if (shown == _released)
        {
            if (emitted.Length > 0)
            {
                pieces.Add((-1, emitted));
            }
            return pieces;
        }
        for (var i = _released; i < shown; i++)
        {
            var from = i == _released ? start : Math.Clamp(_starts[i], start, Emitted);
            var to = i + 1 < shown ? Math.Clamp(_starts[i + 1], start, Emitted) : Emitted;
            pieces.Add((i, emitted.Substring(from - start, to - from)));
        }
        _released = shown;
        return pieces;
    }

    /// <summary>How many tokens' text begins before <paramref name="offset"/> (the offsets never decrease).</summary>
    private int CountStartingBefore(int offset)
    {
        int low = 0, high = _starts.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_starts[middle] < offset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }
}
