using System.Text;
using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot;

/// <summary>
/// The model's tokenizer. Token ids are plain ints in the public API; every id is range-checked before it
/// reaches native code, where a bad one would abort the process. llama.cpp's tokenizer is thread-safe.
/// </summary>
public sealed class Vocabulary
{
    private readonly SafeLlamaModelHandle _model;
    private readonly nint _vocab;

    internal Vocabulary(SafeLlamaModelHandle model)
    {
        _model = model;
        _vocab = LlamaNative.llama_model_get_vocab(model);
        Count = LlamaNative.llama_vocab_n_tokens(_vocab);
        Type = LlamaNative.llama_vocab_type(_vocab).ToString().ToLowerInvariant();
        Bos = OrNull(LlamaNative.llama_vocab_bos(_vocab));
        Eos = OrNull(LlamaNative.llama_vocab_eos(_vocab));
        Eot = OrNull(LlamaNative.llama_vocab_eot(_vocab));
        AddsBos = LlamaNative.llama_vocab_get_add_bos(_vocab);
    }

    /// <summary>Number of tokens.</summary>
    public int Count { get; }

    /// <summary>Tokenizer family ("spm", "bpe", ...).</summary>
    public string Type { get; }

    /// <summary>Beginning-of-sequence token, or null.</summary>
    public int? Bos { get; }

    /// <summary>End-of-sequence token, or null.</summary>
    public int? Eos { get; }

    /// <summary>End-of-turn token, or null.</summary>
    public int? Eot { get; }

    /// <summary>Whether tokenizing with special tokens adds BOS at the start.</summary>
    public bool AddsBos { get; }

    internal nint NativeVocab => _vocab;

    /// <summary>Turns text into tokens.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecial">Add BOS/EOS as the model is configured to.</param>
    /// <param name="parseSpecial">Recognize special tokens written in the text (e.g. "&lt;|im_start|&gt;").</param>
    public unsafe int[] Tokenize(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var lease = new HandleLease(_model);
        var bytes = Encoding.UTF8.GetBytes(text);
        var capacity = bytes.Length + 8;
        while (true)
        {
            var tokens = new LlamaToken[capacity];
            int n;
            fixed (byte* t = bytes)
            fixed (LlamaToken* p = tokens)
            {
                n = LlamaNative.llama_tokenize(_vocab, t, bytes.Length, p, capacity, addSpecial, parseSpecial);
            }
            if (n == int.MinValue)
            {
                throw new InvalidRequestException("Text is too long to tokenize.");
            }
            if (n >= 0)
            {
                var result = new int[n];
                for (var i = 0; i < n; i++)
                {
                    result[i] = tokens[i].Value;
                }
                return result;
            }
            capacity = -n;
        }
    }

    /// <summary>The bytes one token renders to (special tokens render only when <paramref name="special"/> is set).</summary>
    public unsafe byte[] TokenBytes(int token, bool special = false)
    {
        CheckToken(token);
        using var lease = new HandleLease(_model);
        Span<byte> small = stackalloc byte[64];
        fixed (byte* p = small)
        {
            var n = LlamaNative.llama_token_to_piece(_vocab, new LlamaToken(token), p, small.Length, 0, special);
            if (n >= 0)
            {
                return small[..n].ToArray();
            }
            var big = new byte[-n];
            fixed (byte* q = big)
            {
                LlamaNative.llama_token_to_piece(_vocab, new LlamaToken(token), q, big.Length, 0, special);
            }
            return big;
        }
    }

    /// <summary>Turns tokens back into text; UTF-8 sequences split across tokens are joined.</summary>
    public string Detokenize(IEnumerable<int> tokens, bool renderSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var decoder = new TokenTextDecoder(this, renderSpecial);
        var text = new StringBuilder();
        foreach (var token in tokens)
        {
            text.Append(decoder.Append(token));
        }
        text.Append(decoder.Flush());
        return text.ToString();
    }

    /// <summary>The token's text as stored in the vocabulary (e.g. "▁the").</summary>
    public unsafe string TokenText(int token)
    {
        CheckToken(token);
        using var lease = new HandleLease(_model);
        return LlamaNative.ReadString(LlamaNative.llama_vocab_get_text(_vocab, new LlamaToken(token))) ?? string.Empty;
    }

    /// <summary>Whether the token ends generation (EOS, EOT, ...).</summary>
    public bool IsEndOfGeneration(int token)
    {
        CheckToken(token);
        using var lease = new HandleLease(_model);
        return LlamaNative.llama_vocab_is_eog(_vocab, new LlamaToken(token));
    }

    /// <summary>Whether the token is a control token (not rendered as text).</summary>
    public bool IsControl(int token)
    {
        CheckToken(token);
        using var lease = new HandleLease(_model);
        return LlamaNative.llama_vocab_is_control(_vocab, new LlamaToken(token));
    }

    /// <summary>Throws a one-line error for an id outside the vocabulary.</summary>
    public void CheckToken(int token)
    {
        if ((uint)token >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token, $"Token id {token} is outside the vocabulary (0..{Count - 1}).");
        }
    }

    private static int? OrNull(LlamaToken token) => token.IsNull ? null : token.Value;
}
