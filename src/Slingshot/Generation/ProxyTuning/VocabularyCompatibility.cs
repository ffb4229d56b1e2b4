namespace Slingshot.Generation.ProxyTuning;

/// <summary>
/// Logit arithmetic adds entry i of one model's distribution to entry i of another's: it means something only
/// when token i is the same piece of text in every model. Checked before any decoding.
/// </summary>
internal static class VocabularyCompatibility
{
    public static void Check(LlamaModel reference, LlamaModel other)
    {
        var a = reference.Vocabulary;
        var b = other.Vocabulary;
        var names = $"'{Path.GetFileName(reference.Path)}' and '{Path.GetFileName(other.Path)}'";
        if (a.Count != b.Count)
        {
            throw new SlingshotException($"Proxy-tuning needs models that share one vocabulary: {names} have {a.Count} and {b.Count} tokens.");
        }
        if (a.Type != b.Type)
        {
            throw new SlingshotException($"Proxy-tuning needs models that share one vocabulary: {names} use {a.Type} and {b.Type} tokenizers.");
        }
        for (var token = 0; token < a.Count; token++)
        {
            if (!a.TokenBytes(token, special: true).AsSpan().SequenceEqual(b.TokenBytes(token, special: true)))
            {
                throw new SlingshotException(
                    $"Proxy-tuning needs models that share one vocabulary: token {token} is '{a.TokenText(token)}' in one of {names} and '{b.TokenText(token)}' in the other.");
            }
        }
    }
}
