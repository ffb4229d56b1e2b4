using System.Text;

namespace Slingshot.Evaluation.Reports;

/// <summary>Encodes text for HTML and inline SVG content and attribute values.</summary>
internal static class HtmlText
{
    /// <summary>
    /// Replaces the five characters that can end text or an attribute (&amp; &lt; &gt; " ') with entities and
    /// leaves everything else as is: the page is UTF-8, so "·" or "∞" stay readable in the source.
    /// </summary>
    public static string Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }
        var encoded = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            encoded.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            } ?? c.ToString());
        }
        return encoded.ToString();
    }
}
