namespace Slingshot.Gguf;

/// <summary>
/// A SentencePiece-style ("llama") vocabulary of any size from <see cref="MinimumSize"/> up: the usual
/// special tokens, ChatML control tokens, 256 byte-fallback tokens (so any text can be tokenized), then
/// "▁"-prefixed English word pieces, characters and letter combinations with decreasing scores. Word pieces
/// come with all their prefixes, so llama.cpp's score-driven merging can actually reach whole words.
/// </summary>
internal sealed class SyntheticVocabulary
{
    public const int MinimumSize = 512;
    public const int UnknownId = 0;
    public const int BosId = 1;
    public const int EosId = 2;
    public const string ChatStart = "<|im_start|>";
    public const string ChatEnd = "<|im_end|>";

    // llama_token_type values (llama.h): the loader maps them to token attributes.
    private const int Normal = 1;
    private const int Unknown = 2;
    private const int Control = 3;
    private const int Byte = 6;

    private const string SpaceMark = "\u2581";

    private static readonly string[] s_words =
    [
        "the", "of", "and", "to", "a", "in", "is", "you", "that", "it", "he", "was", "for", "on", "are", "as",
        "with", "his", "they", "i", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but",
        "not", "what", "all", "were", "we", "when", "your", "can", "said", "there", "use", "an", "each", "which",
        "she", "do", "how", "their", "if", "will", "up", "other", "about", "out", "many", "then", "them", "these",
        "so", "some", "her", "would", "make", "like", "him", "into", "time", "has", "look", "two", "more", "write",
        "go", "see", "number", "no", "way", "could", "people", "my", "than", "first", "water", "been", "call",
        "who", "now", "find", "long", "down", "day", "did", "get", "come", "made", "may", "part", "hello", "world",
        "once", "upon", "little", "girl", "boy", "dog", "cat", "happy", "play", "friend", "good", "new", "big",
        "small", "love", "help", "yes", "thank", "please", "question", "answer", "model", "language", "token",
        "chat", "user", "assistant", "system", "code", "data", "test", "result", "because", "where", "why",
    ];

    private SyntheticVocabulary(List<string> tokens, List<float> scores, List<int> types)
    {
        Tokens = tokens;
        Scores = scores;
        Types = types;
    }

    public IReadOnlyList<string> Tokens { get; }

    public IReadOnlyList<float> Scores { get; }

    public IReadOnlyList<int> Types { get; }

    public static SyntheticVocabulary Build(int size)
    {
        if (size < MinimumSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The generated tokenizer needs a vocabulary of at least {MinimumSize} tokens.");
        }
        var tokens = new List<string>(size);
        var scores = new List<float>(size);
        var types = new List<int>(size);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(string piece, int type, float score)
        {
            if (tokens.Count < size && seen.Add(piece))
            {
                tokens.Add(piece);
                scores.Add(score);
                types.Add(type);
            }
        }

        Add("<unk>", Unknown, 0);
        Add("<s>", Control, 0);
        Add("</s>", Control, 0);
        Add(ChatStart, Control, 0);
        Add(ChatEnd, Control, 0);
        for (int b = 0; b < 256; b++)
        {
            Add($"<0x{b:X2}>", Byte, 0);
        }
        int firstNormal = tokens.Count;
        foreach (string piece in NormalPieces())
        {
            if (tokens.Count == size)
            {
                break;
            }
            // Scores fall with rank so earlier (more common) pieces win merges.
            Add(piece, Normal, -(tokens.Count - firstNormal));
        }
        return new SyntheticVocabulary(tokens, scores, types);
    }

    /// <summary>An endless, deterministic sequence of candidate pieces, most useful first.</summary>
    private static IEnumerable<string> NormalPieces()
    {
        yield return SpaceMark;
        for (char c = '!'; c <= '~'; c++)
        {
            yield return c.ToString();
        }
        for (char c = 'a'; c <= 'z'; c++)
        {
            yield return SpaceMark + c;
        }
        for (char c = 'A'; c <= 'Z'; c++)
        {
            yield return SpaceMark + c;
        }
        foreach (string word in s_words.Concat(s_words.Select(Capitalize)))
        {
            for (int length = 1; length <= word.Length; length++)
            {
                yield return SpaceMark + word[..length];
            }
        }
        // Letter combinations fill any size: pairs, then "▁"+pairs, triples, "▁"+triples, and so on.
        for (int length = 2; ; length++)
        {
            foreach (string letters in Combinations(length))
            {
                yield return letters;
            }
            foreach (string letters in Combinations(length))
            {
                yield return SpaceMark + letters;
            }
        }
    }

    private static IEnumerable<string> Combinations(int length)
    {
        var letters = new char[length];
        long count = (long)Math.Pow(26, length);
        for (long n = 0; n < count; n++)
        {
            long rest = n;
            for (int i = length - 1; i >= 0; i--)
            {
                letters[i] = (char)('a' + (int)(rest % 26));
                rest /= 26;
            }
            yield return new string(letters);
        }
    }

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
