using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Extraction;

/// <summary>Regex helpers the extractors share.</summary>
internal static class RegexExtensions
{
    /// <summary>The last match of <paramref name="pattern"/> in <paramref name="text"/> (answers are usually stated last), or null.</summary>
    public static Match? LastMatch(this Regex pattern, string text)
    {
        Match? last = null;
        for (var match = pattern.Match(text); match.Success; match = match.NextMatch())
        {
            last = match;
        }
        return last;
    }
}
