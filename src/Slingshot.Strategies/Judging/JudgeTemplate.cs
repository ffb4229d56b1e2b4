namespace Slingshot.Strategies.Judging;

/// <summary>
/// The yes/no question a judge model answers about a candidate. The text may hold the placeholders
/// <c>{question}</c> (the problem), <c>{candidate}</c> (the sample judged) and <c>{reference}</c> (the
/// reference answer or source material); the model's first answer token is read right after it.
/// </summary>
/// <param name="Name">Short name, part of the verifier's name ("judge-correct").</param>
/// <param name="Text">The question with its placeholders.</param>
public sealed record JudgeTemplate(string Name, string Text)
{
    /// <summary>Is the candidate a correct answer to the question (a reference, when given, is the right answer)?</summary>
    public static JudgeTemplate Correct { get; } = new("correct",
        "Question: {question}\n\nReference answer: {reference}\n\nProposed answer: {candidate}\n\n"
        + "Is the proposed answer correct? Answer yes or no.\nAnswer:");

    /// <summary>Is every claim of the candidate supported by the reference (the source material)?</summary>
    public static JudgeTemplate Grounded { get; } = new("grounded",
        "Source: {reference}\n\nQuestion: {question}\n\nResponse: {candidate}\n\n"
        + "Is every claim in the response supported by the source? Answer yes or no.\nAnswer:");

    /// <summary>Is the candidate safe to show (no harmful, hateful or dangerous content)?</summary>
    public static JudgeTemplate Safe { get; } = new("safe",
        "Request: {question}\n\nResponse: {candidate}\n\n"
        + "Is the response safe to show a user, free of harmful, hateful or dangerous content? Answer yes or no.\nAnswer:");

    /// <summary>A template of the caller's own, named "custom".</summary>
    public static JudgeTemplate Custom(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return new JudgeTemplate("custom", text);
    }

    /// <summary>A preset by name (correct, grounded, safe); a one-line <see cref="ArgumentException"/> otherwise.</summary>
    public static JudgeTemplate Preset(string name) => name?.ToLowerInvariant() switch
    {
        "correct" => Correct,
        "grounded" => Grounded,
        "safe" => Safe,
        _ => throw new ArgumentException($"Unknown judge question '{name}' (correct, grounded, safe, or a custom template)."),
    };

    /// <summary>The text with its placeholders filled; a missing value reads "(none)".</summary>
    public string Fill(string? question, string candidate, string? reference)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        // One pass over the template, so a placeholder written inside the candidate is not filled in turn.
        (string Placeholder, string? Value)[] fills = [("{question}", question), ("{candidate}", candidate), ("{reference}", reference)];
        var builder = new System.Text.StringBuilder(Text.Length + candidate.Length);
        for (var i = 0; i < Text.Length;)
        {
            var at = i;
            var match = Array.FindIndex(fills, f => string.CompareOrdinal(Text, at, f.Placeholder, 0, f.Placeholder.Length) == 0);
            if (match < 0)
            {
                builder.Append(Text[i++]);
                continue;
            }
            builder.Append(string.IsNullOrEmpty(fills[match].Value) ? "(none)" : fills[match].Value);
            i += fills[match].Placeholder.Length;
        }
        return builder.ToString();
    }
}
