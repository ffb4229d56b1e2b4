namespace Slingshot.Strategies.Judging;

/// <summary>How a <see cref="JudgeVerifier"/> asks its question and reads the answer.</summary>
public sealed record JudgeOptions
{
    /// <summary>The question; default <see cref="JudgeTemplate.Correct"/>.</summary>
    public JudgeTemplate Template { get; init; } = JudgeTemplate.Correct;

    /// <summary>Least P(yes) that passes. Default 0.5.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>
    /// How the question becomes the prompt: <see cref="JudgePromptFormat.Auto"/> (default) uses the model's chat
    /// template when it has one and the plain text otherwise.
    /// </summary>
    public JudgePromptFormat PromptFormat { get; init; } = JudgePromptFormat.Auto;

    /// <summary>Chat template override (a built-in name or a template text) for <see cref="JudgePromptFormat.Chat"/>.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>
    /// Words that mean yes. Every vocabulary token whose text, without surrounding spaces, is one of them in any
    /// letter case counts ("yes", " Yes", "YES"). Default ["yes"].
    /// </summary>
    public IReadOnlyList<string> YesWords { get; init; } = ["yes"];

    /// <summary>Words that mean no, matched like <see cref="YesWords"/>. Default ["no"].</summary>
    public IReadOnlyList<string> NoWords { get; init; } = ["no"];

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Template);
        if (!double.IsFinite(Threshold) || Threshold is < 0 or > 1)
        {
            throw new ArgumentException($"The judge threshold must be in [0, 1] (got {Threshold}).");
        }
        if (YesWords is not { Count: > 0 } || NoWords is not { Count: > 0 } || YesWords.Concat(NoWords).Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("The judge needs at least one non-empty yes word and one no word.");
        }
        if (YesWords.Intersect(NoWords, StringComparer.OrdinalIgnoreCase).FirstOrDefault() is { } both)
        {
            throw new ArgumentException($"'{both}' cannot mean both yes and no.");
        }
    }
}

/// <summary>How the judge's question is put to the model.</summary>
public enum JudgePromptFormat
{
    /// <summary>The chat template when the model has one, the plain text otherwise.</summary>
    Auto,
    /// <summary>A user turn in the chat template, read at the start of the assistant's reply.</summary>
    Chat,
    /// <summary>The filled question as it is, read right after its last character (base models).</summary>
    Raw,
}
