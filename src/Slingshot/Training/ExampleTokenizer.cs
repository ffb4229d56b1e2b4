namespace Slingshot.Training;

/// <summary>
/// Turns examples into token sequences the way the engine will see them at inference: BOS when the model adds
/// one, the text (a chat rendered with the model's template, special tokens parsed), then EOS, so a packed
/// window teaches the model where an example ends.
/// </summary>
internal sealed class ExampleTokenizer
{
    private readonly LlamaModel _model;
    private readonly string? _chatTemplate;
    private readonly int _eos;

    public ExampleTokenizer(LlamaModel model, string? chatTemplate)
    {
        _model = model;
        _chatTemplate = chatTemplate;
        _eos = model.Vocabulary.Eos ?? model.Vocabulary.Eot
            ?? throw new ArgumentException($"'{Path.GetFileName(model.Path)}' has no end-of-sequence token to separate packed examples.");
    }

    public int EndOfSequence => _eos;

    public int[] Tokenize(TrainingExample example)
    {
        var vocabulary = _model.Vocabulary;
        int[] tokens = example switch
        {
            TextExample text => vocabulary.Tokenize(text.Text, addSpecial: true, parseSpecial: false),
            PromptCompletionExample pc => vocabulary.Tokenize(pc.Prompt + pc.Completion, addSpecial: true, parseSpecial: false),
            ChatExample chat => vocabulary.Tokenize(Render(chat), addSpecial: true, parseSpecial: true),
            _ => throw new ArgumentException($"{example.Origin}: unknown example kind {example.GetType().Name}."),
        };
        var result = new int[tokens.Length + 1];
        tokens.CopyTo(result, 0);
        result[^1] = _eos;
        return result;
    }

    private string Render(ChatExample chat)
    {
        try
        {
            return ChatTemplate.Apply(_model, chat.Messages, addAssistantPrefix: false, template: _chatTemplate);
        }
        catch (SlingshotException ex)
        {
            throw new FormatException($"{chat.Origin}: {ex.Message}", ex);
        }
    }
}
