using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Tests.Selection;

/// <summary>A tiny extractor for tests: the trimmed text after the last "answer:", or null.</summary>
internal sealed class AfterColonExtractor : IAnswerExtractor
{
    private const string Marker = "answer:";

    public string Name => "after-colon";

    public string? Extract(string text)
    {
        var at = text.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var answer = text[(at + Marker.Length)..].Trim();
        return answer.Length == 0 ? null : answer;
    }

    public string NormalizeReference(string reference) => reference.Trim();
}
