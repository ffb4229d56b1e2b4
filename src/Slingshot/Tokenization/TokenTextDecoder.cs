using System.Text;

namespace Slingshot;

/// <summary>
/// Turns a stream of tokens into text incrementally. A multi-byte UTF-8 character can be split across
/// tokens (byte-fallback tokens, BPE); the decoder keeps incomplete bytes until the rest arrives.
/// </summary>
public sealed class TokenTextDecoder
{
    private readonly Vocabulary _vocabulary;
    private readonly bool _renderSpecial;
    private readonly IReadOnlySet<int>? _preserved;
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private char[] _chars = new char[64];

    /// <summary>Creates a decoder for one stream of tokens.</summary>
    /// <param name="vocabulary">The tokens' vocabulary.</param>
    /// <param name="renderSpecial">Render every special token as its text.</param>
    /// <param name="preserved">Special tokens rendered as their text even without <paramref name="renderSpecial"/>.</param>
    public TokenTextDecoder(Vocabulary vocabulary, bool renderSpecial = false, IReadOnlySet<int>? preserved = null)
    {
        _vocabulary = vocabulary ?? throw new ArgumentNullException(nameof(vocabulary));
        _renderSpecial = renderSpecial;
        _preserved = preserved;
    }

    /// <summary>Adds a token; returns the text completed by it (possibly empty).</summary>
    public string Append(int token) => Decode(_vocabulary.TokenBytes(token, _renderSpecial || _preserved?.Contains(token) == true), flush: false);

    /// <summary>Returns whatever incomplete bytes remain (as replacement characters) and resets.</summary>
    public string Flush() => Decode([], flush: true);

    private string Decode(byte[] bytes, bool flush)
    {
        var needed = _decoder.GetCharCount(bytes, 0, bytes.Length, flush: false) + 4;
        if (_chars.Length < needed)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }
        var n = _decoder.GetChars(bytes, 0, bytes.Length, _chars, 0, flush);
        return n == 0 ? string.Empty : new string(_chars, 0, n);
    }
}
