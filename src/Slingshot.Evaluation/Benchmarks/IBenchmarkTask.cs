using Microsoft.Extensions.AI;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// A benchmark: where its problems come from, how each becomes a prompt, and how a sample is graded.
/// Generation and grading are separate: grading (<see cref="BenchmarkGrading.GradeAsync"/>) is a function of
/// the problem and the sample text alone (plus a sandbox for code), so stored samples can be re-graded without
/// drawing new ones. A task does not grade by code of its own: it names an <see cref="Extractor"/> and a
/// <see cref="Verifier"/> from Slingshot.Strategies, and its problems carry the verifier's context, so serving
/// the task through <c>UseVerifier(task.Verifier, ...)</c> judges a sample exactly as grading does.
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

    /// <summary>
    /// The judge of a sample against <see cref="Problem.VerificationContext"/>: the reference-match verifier with
    /// <see cref="Extractor"/> for short answers, the unit-test verifier in the code sandbox for code.
    /// </summary>
    IVerifier Verifier { get; }
}
