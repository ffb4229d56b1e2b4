namespace Slingshot.Strategies.Verification;

/// <summary>A verifier's judgement of one sample: pass or fail, and why.</summary>
/// <param name="Passed">Whether the sample passed.</param>
/// <param name="Reason">One line a person can read ("expected 18, got 17", "exit status 1: AssertionError").</param>
public sealed record Verdict(bool Passed, string Reason)
{
    /// <summary>
    /// How confident the verifier is that the sample is good, in [0, 1], when it can say (a judge model's
    /// P(yes)); null for verifiers that only pass or fail. Cascades and selection compare it to thresholds.
    /// </summary>
    public double? Score { get; init; }

    /// <summary>A passing verdict.</summary>
    public static Verdict Pass(string reason) => new(true, reason);

    /// <summary>A failing verdict.</summary>
    public static Verdict Fail(string reason) => new(false, reason);
}

/// <summary>
/// What a verifier may know about the problem besides the sample: the reference answer, the sample's
/// extracted answer, and for code the program text around the sample (HumanEval's prompt before it, the
/// tests after it) and the functions under test.
/// </summary>
public sealed record VerificationContext
{
    /// <summary>No problem data: verifiers that judge the text alone (regex, JSON schema, command).</summary>
    public static VerificationContext Empty { get; } = new();

    /// <summary>The problem the sample answers (its prompt or question), for verifiers that judge an answer against it (a judge model).</summary>
    public string? Question { get; init; }

    /// <summary>The reference answer as the data set states it (not normalized).</summary>
    public string? Reference { get; init; }

    /// <summary>The sample's extracted answer in canonical form, when an extractor ran.</summary>
    public string? Answer { get; init; }

    /// <summary>Code placed before the sample's code (for example HumanEval's function signature and docstring).</summary>
    public string? Prelude { get; init; }

    /// <summary>Code placed after the sample's code (assertions, <c>check(entry_point)</c>).</summary>
    public string? Tests { get; init; }

    /// <summary>
    /// The names of the functions under test (HumanEval's entry point, the MBPP functions its asserts call);
    /// empty when unknown. Only these may hide a builtin of the same name in the tests, and a sample that
    /// defines one of them itself replaces the <see cref="Prelude"/>'s definition of it instead of following it.
    /// </summary>
    public IReadOnlyList<string> EntryPoints { get; init; } = [];

    /// <summary>
    /// This context with the sample's extracted <paramref name="answer"/>, or unchanged when there is none. The
    /// one way an answer joins a context, for verifier middleware and benchmark grading alike.
    /// </summary>
    public VerificationContext WithAnswer(string? answer) => answer is null ? this : this with { Answer = answer };
}

/// <summary>Judges one sample. Implementations are thread-safe: one verifier checks many samples at once.</summary>
public interface IVerifier
{
    /// <summary>Short name used on the command line and in stored results.</summary>
    string Name { get; }

    /// <summary>Checks <paramref name="text"/> (a sample's full text) against <paramref name="context"/>.</summary>
    ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default);
}
