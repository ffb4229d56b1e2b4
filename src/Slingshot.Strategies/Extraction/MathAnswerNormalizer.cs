using System.Globalization;
using System.Text;

namespace Slingshot.Strategies.Extraction;

/// <summary>
/// Normalizes a MATH answer so equivalent ways of writing it compare equal as strings, following the
/// steps of the <c>strip_string</c> normalization behind Hendrycks' <c>is_equiv</c>: line breaks,
/// <c>\!</c>, <c>\left</c>/<c>\right</c>, degrees, <c>\$</c>, trailing units, <c>\%</c>, leading-zero
/// decimals, short <c>k = </c> prefixes, spaces, <c>\sqrt2</c>, <c>\frac12</c>, <c>0.5</c> and
/// <c>a/b</c>. Three small extensions, each only ever merging spellings of the same value: a bare
/// <c>%</c> is removed like <c>\%</c>, an answer wholly wrapped in <c>\text{...}</c> is unwrapped, and
/// <c>\frac{1}2</c> / <c>\sqrt[3]{x}</c> are handled where the original mangles them.
/// </summary>
public static class MathAnswerNormalizer
{
    /// <summary>The normalized form of <paramref name="answer"/> (a boxed answer's content or a reference).</summary>
    public static string Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = answer
            .Replace("\n", "", StringComparison.Ordinal)
            .Replace("\r", "", StringComparison.Ordinal)
            .Replace("\\!", "", StringComparison.Ordinal)
            .Replace("\\\\", "\\", StringComparison.Ordinal)
            .Replace("tfrac", "frac", StringComparison.Ordinal)
            .Replace("dfrac", "frac", StringComparison.Ordinal)
            .Replace("\\left", "", StringComparison.Ordinal)
            .Replace("\\right", "", StringComparison.Ordinal)
            .Replace("^{\\circ}", "", StringComparison.Ordinal)
            .Replace("^\\circ", "", StringComparison.Ordinal)
            .Replace("\\$", "", StringComparison.Ordinal);

        text = RemoveTrailingUnits(text);
        text = UnwrapText(text.Trim());
        text = text
            .Replace("\\%", "", StringComparison.Ordinal)
            .Replace("%", "", StringComparison.Ordinal)
            .Replace(" .", " 0.", StringComparison.Ordinal)
            .Replace("{.", "{0.", StringComparison.Ordinal);

        if (text.Length == 0)
        {
            return text;
        }
        if (text[0] == '.')
        {
            text = "0" + text;
        }

        text = DropShortEquationPrefix(text);
        // Spaces go before the \sqrt fix so "\sqrt 2" becomes "\sqrt{2}", as LaTeX reads it.
        text = text.Replace(" ", "", StringComparison.Ordinal);
        text = FixSqrt(text);
        text = FixFracs(text);
        if (text == "0.5")
        {
            text = "\\frac{1}{2}";
        }
        return FixSimpleSlash(text);
    }

    /// <summary>"5\text{ cm}" becomes "5": units are written after <c>\text{ </c> with a leading space.</summary>
    private static string RemoveTrailingUnits(string text)
    {
        const string UnitStart = "\\text{ ";
        var first = text.IndexOf(UnitStart, StringComparison.Ordinal);
        if (first < 0 || text.IndexOf(UnitStart, first + 1, StringComparison.Ordinal) >= 0)
        {
            return text;
        }
        return text[..first];
    }

    /// <summary>"\text{(C)}" becomes "(C)" when the group spans the whole answer.</summary>
    private static string UnwrapText(string text)
    {
        foreach (var command in (ReadOnlySpan<string>)["\\text{", "\\textbf{", "\\mbox{"])
        {
            if (text.StartsWith(command, StringComparison.Ordinal)
                && BracedGroup.FindClosing(text, command.Length - 1) == text.Length - 1)
            {
                return text[command.Length..^1].Trim();
            }
        }
        return text;
    }

    /// <summary>"x = 5" becomes "5" when the left side is at most two characters (a variable name).</summary>
    private static string DropShortEquationPrefix(string text)
    {
        var parts = text.Split('=');
        return parts.Length == 2 && parts[0].Length <= 2 ? parts[1] : text;
    }

    /// <summary>"\sqrt2" becomes "\sqrt{2}"; braced and indexed roots stay as they are.</summary>
    private static string FixSqrt(string text)
    {
        const string Sqrt = "\\sqrt";
        var builder = new StringBuilder(text.Length + 8);
        var position = 0;
        while (true)
        {
            var found = text.IndexOf(Sqrt, position, StringComparison.Ordinal);
            if (found < 0)
            {
                return builder.Append(text, position, text.Length - position).ToString();
            }
            var after = found + Sqrt.Length;
            builder.Append(text, position, after - position);
            if (after < text.Length && text[after] is not '{' and not '[' and not '\\')
            {
                builder.Append('{').Append(text[after]).Append('}');
                after++;
            }
            position = after;
        }
    }

    /// <summary>"\frac12", "\frac1{2}" and "\frac{1}2" all become "\frac{1}{2}".</summary>
    private static string FixFracs(string text)
    {
        const string Frac = "\\frac";
        var builder = new StringBuilder(text.Length + 8);
        var position = 0;
        while (true)
        {
            var found = text.IndexOf(Frac, position, StringComparison.Ordinal);
            if (found < 0)
            {
                return builder.Append(text, position, text.Length - position).ToString();
            }
            var cursor = found + Frac.Length;
            builder.Append(text, position, cursor - position);
            for (var argument = 0; argument < 2 && cursor < text.Length; argument++)
            {
                if (text[cursor] == '{')
                {
                    var closing = BracedGroup.FindClosing(text, cursor);
                    if (closing < 0)
                    {
                        break;
                    }
                    builder.Append(text, cursor, closing - cursor + 1);
                    cursor = closing + 1;
                }
                else if (text[cursor] == '\\')
                {
                    // A command argument ("\frac\pi2") is left for the reader; rewriting it needs a parser.
                    break;
                }
                else
                {
                    builder.Append('{').Append(text[cursor]).Append('}');
                    cursor++;
                }
            }
            position = cursor;
        }
    }

    /// <summary>"3/4" becomes "\frac{3}{4}" when both sides are plain integers.</summary>
    private static string FixSimpleSlash(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var numerator)
            || !int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var denominator)
            || numerator.ToString(CultureInfo.InvariantCulture) != parts[0]
            || denominator.ToString(CultureInfo.InvariantCulture) != parts[1])
        {
            return text;
        }
        return $"\\frac{{{parts[0]}}}{{{parts[1]}}}";
    }
}
