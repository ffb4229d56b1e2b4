namespace Slingshot.Training;

/// <summary>
/// One training example. llama.cpp trains every position of a window (it has no way to mask the prompt), so
/// the kinds differ only in how they become text: plain text as is, a prompt and its completion joined, a chat
/// rendered with the model's template.
/// </summary>
public abstract record TrainingExample
{
    /// <summary>Where the example came from (file and line, run and problem), for error messages.</summary>
    public string Origin { get; init; } = "";
}

/// <summary>Plain text, trained as written between BOS and EOS.</summary>
/// <param name="Text">The text.</param>
public sealed record TextExample(string Text) : TrainingExample;

/// <summary>A prompt and its completion, trained as their concatenation (no template, no separator added).</summary>
/// <param name="Prompt">The input.</param>
/// <param name="Completion">The output the model should learn to write after it.</param>
public sealed record PromptCompletionExample(string Prompt, string Completion) : TrainingExample;

/// <summary>A conversation, rendered with the model's chat template (or the trainer's template override).</summary>
/// <param name="Messages">The turns, usually ending with the assistant's reply.</param>
public sealed record ChatExample(IReadOnlyList<ChatTurn> Messages) : TrainingExample;

/// <summary>
/// Where training examples come from: a data file (<see cref="TrainingDataFile"/>), a run store's verified
/// samples, or any other producer. Read once per training run; the order is the source's, the trainer shuffles.
/// </summary>
public interface ITrainingExampleSource
{
    /// <summary>A short description for logs and reports (a file name, a run id).</summary>
    string Description { get; }

    /// <summary>The examples. A malformed record throws a one-line <see cref="FormatException"/> naming it.</summary>
    IEnumerable<TrainingExample> ReadExamples();
}

/// <summary>Examples already in memory.</summary>
/// <param name="Description">What they are.</param>
/// <param name="Examples">The examples.</param>
public sealed record InMemoryExampleSource(string Description, IReadOnlyList<TrainingExample> Examples) : ITrainingExampleSource
{
    /// <inheritdoc />
    public IEnumerable<TrainingExample> ReadExamples() => Examples;
}
