using Microsoft.Extensions.AI;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>One benchmark problem: the prompt the model sees and what grading needs.</summary>
public sealed record Problem
{
    /// <summary>Stable id within its task ("gsm8k/17", "HumanEval/0", "mmlu/anatomy/3"); stored with every sample.</summary>
    public required string Id { get; init; }

    /// <summary>The prompt as chat messages (few-shot examples included).</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>The reference answer as the data set states it.</summary>
    public string? Reference { get; init; }

    /// <summary>Code placed before the sample's code when grading (HumanEval's prompt).</summary>
    public string? Prelude { get; init; }

    /// <summary>The tests that check the sample's code when grading; they run in a process of their own that sees the code's names.</summary>
    public string? Tests { get; init; }

    /// <summary>The functions under test (HumanEval's entry point, the MBPP functions its asserts call); empty for other tasks.</summary>
    public IReadOnlyList<string> EntryPoints { get; init; } = [];

    /// <summary>What the task's verifier knows about this problem besides the sample: reference, prelude, tests and functions under test.</summary>
    public VerificationContext VerificationContext => new()
    {
        Reference = Reference,
        Prelude = Prelude,
        Tests = Tests,
        EntryPoints = EntryPoints,
    };

    /// <summary>Extra fields for reports (subject, level, ...).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>A graded sample: its canonical answer (when the task extracts one) and the verdict.</summary>
/// <param name="Answer">Extracted answer in canonical form; null when none could be extracted or the task has none (code).</param>
/// <param name="Correct">The verdict.</param>
/// <param name="Reason">Why, in one line.</param>
public sealed record Grade(string? Answer, bool Correct, string Reason);
