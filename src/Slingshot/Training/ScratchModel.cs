using System.Text;
using Slingshot.Gguf;

namespace Slingshot.Training;

/// <summary>How <see cref="ScratchModel.Write"/> builds a model to train from scratch.</summary>
public sealed record ScratchModelOptions
{
    /// <summary>A shape preset or spec (see <see cref="LlamaShape.Parse"/>); its vocabulary size comes from the tokenizer.</summary>
    public required string Shape { get; init; }

    /// <summary>Take the tokenizer of this GGUF (for example stories260K's 512-token SentencePiece vocabulary).</summary>
    public string? TokenizerModel { get; init; }

    /// <summary>Or build a vocabulary from this text: every character in it, plus byte fallback so any text tokenizes,
    /// and with <see cref="WholeWords"/> its frequent words.</summary>
    public string? CharacterText { get; init; }

    /// <summary>With <see cref="CharacterText"/>: also make every word that occurs at least <see cref="MinimumWordCount"/>
    /// times one token (with the prefixes SentencePiece merging needs to reach it), and runs of symbols such as
    /// <c>&lt;&lt;</c> and <c>####</c>. Digits always stay single tokens, so numbers are spelled digit by digit.</summary>
    public bool WholeWords { get; init; }

    /// <summary>How often a word must occur to become a token. Default 20.</summary>
    public int MinimumWordCount { get; init; } = 20;

    /// <summary>A chat template to store: a built-in name (<c>chatml</c>) or template text; ChatML's control tokens are added to the vocabulary when missing.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Seed of the initial weights. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Standard deviation of the initial weights. Default 0.02.</summary>
    public float WeightStdDev { get; init; } = 0.02f;

    /// <summary>The model's name (general.name).</summary>
    public string? Name { get; init; }
}

/// <summary>
/// Writes the starting point of a model trained from scratch: a Llama-architecture GGUF with F32 random weights
/// (llama.cpp trains only F32), its own output layer (a tied one would not train, and token_embd never does), and
/// a real tokenizer: one copied from another GGUF, or a character vocabulary built from the training data.
/// </summary>
public static class ScratchModel
{
    private const string SpaceMark = "\u2581";

    /// <summary>Writes the model; returns its shape (with the tokenizer's vocabulary size).</summary>
    public static LlamaShape Write(string path, ScratchModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.TokenizerModel is null) == (options.CharacterText is null))
        {
            throw new ArgumentException("Give either a tokenizer model or text for a character vocabulary.");
        }
        var tokenizer = options.TokenizerModel is { } source ? FromModel(source)
            : Characters(options.CharacterText!, options.WholeWords ? options.MinimumWordCount : null);
        var template = ResolveTemplate(options.ChatTemplate);
        if (template is not null)
        {
            tokenizer.SetTemplate(template);
        }
        var spec = options.Shape;
        var shape = LlamaShape.Parse(spec.Contains("vocab=", StringComparison.OrdinalIgnoreCase) ? spec : $"{spec},vocab={tokenizer.Tokens.Count}");
        if (shape.VocabSize != tokenizer.Tokens.Count)
        {
            throw new ArgumentException($"The shape says vocab={shape.VocabSize} but the tokenizer has {tokenizer.Tokens.Count} tokens; leave vocab out of the shape.");
        }
        if (shape.TiedEmbeddings)
        {
            throw new ArgumentException("A model trained from scratch needs its own output layer (tied=false): llama.cpp never trains token_embd.weight.");
        }
        shape = shape with { Name = options.Name ?? shape.Name };
        RandomModelWriter.Write(path, shape, new RandomModelOptions
        {
            Seed = options.Seed,
            TensorType = GgmlType.F32,
            WeightStdDev = options.WeightStdDev,
            ChatTemplate = null,
        }, tokenizer.Metadata());
        return shape;
    }

    /// <summary>The template text for a built-in name (only ChatML is spelled out here) or the text itself.</summary>
    private static string? ResolveTemplate(string? template) =>
        template is null ? null
        : template.Equals("chatml", StringComparison.OrdinalIgnoreCase) ? RandomModelOptions.ChatMLTemplate
        : template;

    private static TokenizerTables FromModel(string path)
    {
        var file = GgufFile.Read(path);
        if (!file.ContainsKey("tokenizer.ggml.tokens"))
        {
            throw new ArgumentException($"'{Path.GetFileName(path)}' holds no tokenizer (tokenizer.ggml.tokens).");
        }
        var other = file.Metadata.Where(p => p.Key.StartsWith("tokenizer.", StringComparison.Ordinal)
            && p.Key is not ("tokenizer.ggml.tokens" or "tokenizer.ggml.scores" or "tokenizer.ggml.token_type")).ToList();
        var tokens = file.GetStringArray("tokenizer.ggml.tokens").ToList();
        var scores = file.TryGetValue("tokenizer.ggml.scores", out var s) ? s.ToArray<float>().ToList() : null;
        var types = file.TryGetValue("tokenizer.ggml.token_type", out var t) ? t.ToArray<int>().ToList() : null;
        return new TokenizerTables(tokens, scores, types, other);
    }

    private static TokenizerTables Characters(string text, int? minimumWordCount)
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<int> { 2, 3, 3 };
        for (var b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add(6);
        }
        // Every character of the data, the most frequent first (SentencePiece prefers higher scores).
        var characters = text.EnumerateRunes()
            .Where(r => !Rune.IsControl(r) || r.Value == '\n' || r.Value == '\t')
            .Select(r => r.Value == ' ' ? SpaceMark : r.ToString())
            .GroupBy(c => c, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .Where(c => !tokens.Contains(c));
        foreach (var character in characters)
        {
            tokens.Add(character);
            types.Add(1);
        }
        var scores = tokens.Select((_, i) => i < 259 ? 0f : -(i - 259)).ToList();
        if (minimumWordCount is { } minimum)
        {
            // SentencePiece merging in llama.cpp joins adjacent pieces whose concatenation is a token, best score first:
            // a word is reachable when every prefix of it is a token too. Longer pieces score higher, so merging runs
            // left to right through the prefixes.
            foreach (var (piece, _) in WordPieces(text, minimum))
            {
                for (var length = 2; length <= piece.Length; length++)
                {
                    var prefix = piece[..length];
                    if (!tokens.Contains(prefix))
                    {
                        tokens.Add(prefix);
                        types.Add(1);
                        scores.Add(length);
                    }
                }
            }
        }
        var other = new List<KeyValuePair<string, GgufValue>>
        {
            new("tokenizer.ggml.model", GgufValue.FromString("llama")),
            new("tokenizer.ggml.bos_token_id", GgufValue.FromUInt32(1)),
            new("tokenizer.ggml.eos_token_id", GgufValue.FromUInt32(2)),
            new("tokenizer.ggml.unknown_token_id", GgufValue.FromUInt32(0)),
            new("tokenizer.ggml.add_bos_token", GgufValue.FromBool(true)),
            new("tokenizer.ggml.add_eos_token", GgufValue.FromBool(false)),
            new("tokenizer.ggml.add_space_prefix", GgufValue.FromBool(false)),
        };
        return new TokenizerTables(tokens, scores, types, other);
    }

    /// <summary>Frequent words (with "▁" when a space precedes them) and symbol runs of the text, most frequent first; no digits.</summary>
    private static IEnumerable<(string Piece, int Count)> WordPieces(string text, int minimum)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var letter = char.IsLetter(text[i]);
            var symbol = !letter && !char.IsWhiteSpace(text[i]) && !char.IsDigit(text[i]);
            if (!letter && !symbol)
            {
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && (letter ? char.IsLetter(text[i]) : !char.IsLetterOrDigit(text[i]) && !char.IsWhiteSpace(text[i])) && i - start < 16)
            {
                i++;
            }
            if (i - start < 2 && !(letter && start > 0 && text[start - 1] == ' '))
            {
                continue;
            }
            var piece = (start > 0 && text[start - 1] == ' ' ? SpaceMark : "") + text[start..i];
            counts[piece] = counts.GetValueOrDefault(piece) + 1;
        }
        return counts.Where(p => p.Value >= minimum && p.Key.Length >= 2)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (p.Key, p.Value));
    }

    /// <summary>A tokenizer's tables, extended as the chat template needs.</summary>
    private sealed class TokenizerTables(List<string> tokens, List<float>? scores, List<int>? types, List<KeyValuePair<string, GgufValue>> other)
    {
        private string? _template;

        public IReadOnlyList<string> Tokens => tokens;

        public void SetTemplate(string template)
        {
            _template = template;
            foreach (var control in new[] { "<|im_start|>", "<|im_end|>" })
            {
                if (template.Contains(control, StringComparison.Ordinal) && !tokens.Contains(control))
                {
                    tokens.Add(control);
                    scores?.Add(0);
                    types?.Add(3);
                }
            }
        }

        public List<KeyValuePair<string, GgufValue>> Metadata()
        {
            var result = new List<KeyValuePair<string, GgufValue>>(other.Where(p => _template is null || p.Key != "tokenizer.chat_template"))
            {
                new("tokenizer.ggml.tokens", GgufValue.FromStringArray(tokens)),
            };
            if (scores is not null)
            {
                result.Add(new("tokenizer.ggml.scores", GgufValue.FromArray<float>(scores.ToArray())));
            }
            if (types is not null)
            {
                result.Add(new("tokenizer.ggml.token_type", GgufValue.FromArray<int>(types.ToArray())));
            }
            if (_template is not null)
            {
                result.Add(new("tokenizer.chat_template", GgufValue.FromString(_template)));
            }
            return result;
        }
    }
}
