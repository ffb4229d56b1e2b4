namespace Slingshot.Strategies.Extraction;

/// <summary>Finds JSON objects embedded in free text (a model's reply around or before its JSON).</summary>
internal static class JsonInText
{
    /// <summary>
    /// Length of the balanced <c>{...}</c> starting at <paramref name="start"/>, skipping brackets inside strings;
    /// null when it never closes or closes with the wrong bracket.
    /// </summary>
    public static int? ObjectLength(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    depth--;
                    if (depth == 0)
                    {
                        return c == '}' ? i - start + 1 : null;
                    }
                    break;
            }
        }
        return null;
    }
}
