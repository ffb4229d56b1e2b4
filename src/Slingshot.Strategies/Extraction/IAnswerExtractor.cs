namespace Slingshot.Strategies.Extraction;

/// <summary>
/// Pulls the final answer out of a sample's text, in a canonical form: two answers are the same answer
/// exactly when their canonical strings are equal, so majority vote and reference matching are string
/// equality. Implementations are pure functions (no state, no I/O) with golden tests.
/// </summary>
public interface IAnswerExtractor
{
    /// <summary>Short name used on the command line and in stored results (for example "gsm8k-strict").</summary>
    string Name { get; }

    /// <summary>The sample's answer in canonical form, or null when the text holds none.</summary>
    string? Extract(string text);

    /// <summary>A reference answer in the same canonical form, so it compares equal to a correct <see cref="Extract"/>.</summary>
    string NormalizeReference(string reference);
}
