using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// A benchmark: where its problems come from, how each becomes a prompt, and how a sample is graded.
/// Generation and grading are separate: <see cref="GradeAsync"/> is a pure function of the problem and the
/// sample text (plus a sandbox for code), so stored samples can be re-graded without drawing new ones.
/// </summary>
public interface IBenchmarkTask
{
    /// <summary>Registry name ("gsm8k", "mmlu:anatomy", "bbh:navigate").</summary>
    string Name { get; }

    /// <summary>Version of prompt plus grader; recorded with results and changed whenever either changes.</summary>
    string Version { get; }

    /// <summary>One line for `slingshot tasks`.</summary>
    string Description { get; }

    /// <summary>Extractor whose answers majority vote compares; null for tasks without a short answer (code).</summary>
    IAnswerExtractor? Extractor { get; }

    /// <summary>Generation defaults the task needs (stop sequences, max tokens); the run's settings override them.</summary>
    ChatOptions DefaultOptions { get; }

    /// <summary>Loads the problems in their canonical order.</summary>
    IReadOnlyList<Problem> LoadProblems();

    /// <summary>Grades one sample of <paramref name="problem"/>.</summary>
    ValueTask<Grade> GradeAsync(Problem problem, string sampleText, CancellationToken cancellationToken = default);
}
