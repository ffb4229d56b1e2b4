namespace Slingshot.Strategies.Routing;

/// <summary>
/// Length and task-shape features of a prompt, each scaled to roughly 0..1 so that one learning rate suits them all:
/// how long it is, how much of it is digits or mathematical symbols, whether it lists answer options or holds code.
/// </summary>
internal static class PromptShape
{
    /// <summary>Number of features <see cref="Compute"/> writes.</summary>
    public const int Count = 9;

    /// <summary>Writes the features of <paramref name="text"/> into <paramref name="into"/> (length <see cref="Count"/>).</summary>
    public static void Compute(string text, Span<float> into)
    {
        var letters = 0;
        var digits = 0;
        var symbols = 0;
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                letters++;
            }
            else if (char.IsDigit(c))
            {
                digits++;
            }
            else if ("=+-*/^<>\\$%()[]{}|_".Contains(c, StringComparison.Ordinal))
            {
                symbols++;
            }
            var wordChar = char.IsLetterOrDigit(c);
            if (wordChar && !inWord)
            {
                words++;
            }
            inWord = wordChar;
        }
        var lines = text.Split('\n');
        var options = lines.Count(IsAnswerOption);
        var length = Math.Max(1, text.Length);
        into[0] = (float)(Math.Log(1 + text.Length) / 10);
        into[1] = (float)(Math.Log(1 + words) / 8);
        into[2] = (float)(Math.Log(lines.Length) / 5);
        into[3] = (float)digits / length;
        into[4] = (float)symbols / length;
        into[5] = (float)letters / length;
        into[6] = Math.Min(options, 8) / 4f;
        into[7] = text.Contains('?', StringComparison.Ordinal) ? 1 : 0;
        into[8] = text.Contains("def ", StringComparison.Ordinal) || text.Contains("```", StringComparison.Ordinal)
            || text.Contains("return ", StringComparison.Ordinal) ? 1 : 0;
    }

    // "A. text", "B) text": the options of a multiple-choice question.
    private static bool IsAnswerOption(string line) =>
        line.Length >= 3 && line[0] is >= 'A' and <= 'H' && line[1] is '.' or ')' && line[2] == ' ';
}
