using Slingshot.Strategies.Extraction;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// Grading for tasks with a short answer: extract the sample's answer, normalize the reference the same
/// way, and compare the canonical strings. No extractable answer is wrong.
/// </summary>
internal static class AnswerGrading
{
    private const int ShownLength = 60;

    /// <summary>The grade of <paramref name="sampleText"/> against <paramref name="problem"/>'s reference.</summary>
    public static Grade Grade(IAnswerExtractor extractor, Problem problem, string sampleText)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(sampleText);
        var reference = problem.Reference
            ?? throw new SlingshotException($"Problem {problem.Id} has no reference answer to grade against.");
        var expected = extractor.NormalizeReference(reference);
        var answer = extractor.Extract(sampleText);
        if (answer is null)
        {
            return new Grade(null, false, $"no answer found ({extractor.Name}); expected {Shorten(expected)}");
        }
        return answer == expected
            ? new Grade(answer, true, $"correct: {Shorten(answer)}")
            : new Grade(answer, false, $"expected {Shorten(expected)}, got {Shorten(answer)}");
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= ShownLength ? line : line[..(ShownLength - 3)] + "...";
    }
}
