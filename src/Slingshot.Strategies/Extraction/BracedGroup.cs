namespace Slingshot.Strategies.Extraction;

/// <summary>Balanced-brace scanning for LaTeX text, where <c>\{</c> and <c>\}</c> are literal braces.</summary>
internal static class BracedGroup
{
    /// <summary>
    /// The index of the brace that closes the one at <paramref name="open"/>, or -1 when it is never closed.
    /// </summary>
    public static int FindClosing(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++; // an escaped character never opens or closes a group
                    break;
                case '{':
                    depth++;
                    break;
                case '}':
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }
                    break;
            }
        }
        return -1;
    }
}
