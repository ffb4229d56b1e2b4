using System.Text;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>The shared layout of lettered multiple-choice questions (ARC, MMLU).</summary>
internal static class ChoicePrompt
{
    /// <summary>The instruction closing every multiple-choice prompt; the extractor reads its format first.</summary>
    public const string Instruction =
        "Answer with the letter of the correct option. End your response with \"The answer is (X).\", where X is that letter.";

    /// <summary>The question, its options lettered A, B, C, ..., and the instruction.</summary>
    public static string Format(string? preamble, string question, IReadOnlyList<string> choices)
    {
        var builder = new StringBuilder();
        if (preamble is not null)
        {
            builder.Append(preamble).Append("\n\n");
        }
        builder.Append(question.Trim()).Append('\n');
        for (var i = 0; i < choices.Count; i++)
        {
            builder.Append((char)('A' + i)).Append(". ").Append(choices[i].Trim()).Append('\n');
        }
        return builder.Append('\n').Append(Instruction).ToString();
    }
}
