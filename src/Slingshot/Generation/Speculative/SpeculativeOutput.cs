using System.Text;

namespace Slingshot.Generation.Speculative;

/// <summary>
/// Turns the accepted tokens of one speculative request into its sample, with the decode loop's rules: an
/// end-of-generation token or a stop sequence ends it with Stop, the token limit with Length; text is held back
/// while a stop sequence or a UTF-8 character is incomplete.
/// </summary>
internal sealed class SpeculativeOutput
{
    private readonly RequestState _request;
    private readonly Vocabulary _vocabulary;
    private readonly SampleTextAssembler _output;
    private readonly StringBuilder _text = new();
    private int _generated;

    /// <summary>Every token the target produced, including those a stop sequence cut from <see cref="Tokens"/>.</summary>
    public int GeneratedTokens => _generated;

    public SpeculativeOutput(RequestState request, Vocabulary vocabulary)
    {
        _request = request;
        _vocabulary = vocabulary;
        _output = new SampleTextAssembler(new TokenTextDecoder(vocabulary, preserved: request.Request.PreservedTokens), new StopSequenceMatcher(request.Request.StopSequences));
    }

    public List<int> Tokens { get; } = [];

    public FinishReason? Finished { get; private set; }

    /// <summary>Adds a token the target produced; false once the sample has ended.</summary>
    public bool Accept(int token)
    {
        if (Finished is not null)
        {
            return false;
        }
        if (!_request.Request.IgnoreEndOfGeneration && _vocabulary.IsEndOfGeneration(token))
        {
            Finish(FinishReason.Stop, _output.Flush());
            return false;
        }
        Tokens.Add(token);
        _generated++;
        var (emit, stopped) = _output.Append(token);
        if (stopped)
        {
            Finish(FinishReason.Stop, emit);
            return false;
        }
        if (_generated >= _request.MaxTokens)
        {
            Finish(FinishReason.Length, emit + _output.Flush());
            return false;
        }
        _text.Append(emit);
        if (_request.StreamTokens)
        {
            // As in the decode loop: a token goes out with its text, and not at all when a stop sequence cuts it.
            foreach (var (index, text) in _output.TakeShown(emit))
            {
                _request.Output.Writer.TryWrite(new GenerationUpdate { SampleIndex = 0, Token = index >= 0 ? Tokens[index] : null, Text = text });
            }
        }
        return true;
    }

    /// <summary>Ends the sample early (cancellation or failure).</summary>
    public void Cancel()
    {
        if (Finished is null)
        {
            Finish(FinishReason.Cancelled, _output.FlushHeld());
        }
    }

    public Sample ToSample() => new()
    {
        Index = 0,
        Text = _text.ToString(),
        Tokens = Tokens.ToArray(),
        FinishReason = Finished ?? FinishReason.Cancelled,
        Seed = _request.BaseSeed,
        Usage = new TokenUsage(_request.Prompt.Length, _generated),
    };

    private void Finish(FinishReason reason, string text)
    {
        _text.Append(text);
        Finished = reason;
        var shown = _output.ShownTokens;
        if (shown < Tokens.Count)
        {
            Tokens.RemoveRange(shown, Tokens.Count - shown); // cut with the stop sequence's text
        }
        var last = new GenerationUpdate { SampleIndex = 0, Text = text };
        if (_request.StreamTokens)
        {
            var pieces = _output.TakeShown(text);
            for (var i = 0; i < pieces.Count; i++)
            {
                var update = new GenerationUpdate { SampleIndex = 0, Token = pieces[i].Index >= 0 ? Tokens[pieces[i].Index] : null, Text = pieces[i].Text };
                if (i < pieces.Count - 1)
                {
                    _request.Output.Writer.TryWrite(update);
                }
                last = update;
            }
            last = pieces.Count > 0 ? last : last with { Text = string.Empty };
        }
        _request.Output.Writer.TryWrite(last with { FinishReason = reason, Sample = ToSample() });
    }
}
