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
    private readonly TokenTextDecoder _decoder;
    private readonly StopSequenceMatcher _stop;
    private readonly StringBuilder _text = new();

    public SpeculativeOutput(RequestState request, Vocabulary vocabulary)
    {
        _request = request;
        _vocabulary = vocabulary;
        _decoder = new TokenTextDecoder(vocabulary);
        _stop = new StopSequenceMatcher(request.Request.StopSequences);
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
            Finish(FinishReason.Stop, lastToken: null, _stop.Flush() + _decoder.Flush());
            return false;
        }
        Tokens.Add(token);
        var (emit, stopped) = _stop.Append(_decoder.Append(token));
        if (stopped)
        {
            Finish(FinishReason.Stop, token, emit);
            return false;
        }
        if (Tokens.Count >= _request.MaxTokens)
        {
            Finish(FinishReason.Length, token, emit + _stop.Append(_decoder.Flush()).Emit + _stop.Flush());
            return false;
        }
        _text.Append(emit);
        if (_request.StreamTokens)
        {
            _request.Output.Writer.TryWrite(new GenerationUpdate { SampleIndex = 0, Token = token, Text = emit });
        }
        return true;
    }

    /// <summary>Ends the sample early (cancellation or failure).</summary>
    public void Cancel()
    {
        if (Finished is null)
        {
            Finish(FinishReason.Cancelled, lastToken: null, _stop.Flush());
        }
    }

    public Sample ToSample() => new()
    {
        Index = 0,
        Text = _text.ToString(),
        Tokens = Tokens.ToArray(),
        FinishReason = Finished ?? FinishReason.Cancelled,
        Seed = _request.BaseSeed,
        Usage = new TokenUsage(_request.Prompt.Length, Tokens.Count),
    };

    private void Finish(FinishReason reason, int? lastToken, string text)
    {
        _text.Append(text);
        Finished = reason;
        _request.Output.Writer.TryWrite(new GenerationUpdate
        {
            SampleIndex = 0,
            Token = lastToken,
            Text = text,
            FinishReason = reason,
            Sample = ToSample(),
        });
    }
}
