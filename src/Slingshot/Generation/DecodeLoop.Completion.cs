using System.Diagnostics;
using Slingshot.Generation.Speculative;
using Slingshot.Native.Interop;

namespace Slingshot.Generation;

// Sampling one token and ending sequences and requests: the half of the loop that produces output.
internal sealed partial class DecodeLoop
{
    private unsafe void SampleNext(RequestState request, SequenceState sequence, int batchIndex)
    {
        var vocabulary = _model.Vocabulary;
        var logits = LlamaNative.llama_get_logits_ith(_context, batchIndex);
        if (request.FirstTokenAt == 0)
        {
            request.FirstTokenAt = Stopwatch.GetTimestamp();
        }
        if (SelectToken(sequence, logits, vocabulary.Count, request.Request.Sampling) is not { } token)
        {
            // Every candidate was ruled out (a grammar with no way forward). Accepting one would throw a C++
            // exception through the native frame and end the process, so the sample ends here.
            Finish(request, sequence, FinishReason.Stop, sequence.Output.Flush());
            return;
        }
        if (!request.Request.IgnoreEndOfGeneration && LlamaNative.llama_vocab_is_eog(vocabulary.NativeVocab, new LlamaToken(token)))
        {
            Finish(request, sequence, FinishReason.Stop, sequence.Output.Flush());
            return;
        }

        TokenLogprob? logprob = null;
        if (request.Request.TopLogprobs is { } top)
        {
            logprob = LogprobCalculator.Compute(new ReadOnlySpan<float>(logits, vocabulary.Count), token, top, vocabulary);
            sequence.Logprobs!.Add(logprob);
        }
        sequence.Tokens.Add(token);
        sequence.GeneratedTokens++;
        Interlocked.Increment(ref _stats.TokensGenerated);

        var (emit, stopped) = sequence.Output.Append(token);
        if (stopped)
        {
            Finish(request, sequence, FinishReason.Stop, emit);
            return;
        }
        if (sequence.GeneratedTokens >= request.MaxTokens || sequence.NextPosition >= SequenceCapacity)
        {
            Finish(request, sequence, FinishReason.Length, emit + sequence.Output.Flush());
            return;
        }
        sequence.Text.Append(emit);
        sequence.PendingToken = token;
        if (request.StreamTokens)
        {
            // A token goes out once its text does: while a possible stop sequence holds its text back, so is it,
            // and a stop that cuts the text drops it, so the stream's tokens and log-probabilities match its text.
            foreach (var (index, text) in sequence.Output.TakeShown(emit))
            {
                request.Output.Writer.TryWrite(TokenUpdate(sequence, index, text));
            }
        }
    }

    /// <summary>An update carrying shown token <paramref name="index"/> (or, for -1, only text) and its piece of text.</summary>
    private static GenerationUpdate TokenUpdate(SequenceState sequence, int index, string text) => new()
    {
        SampleIndex = sequence.Index,
        Token = index >= 0 ? sequence.Tokens[index] : null,
        Text = text,
        Logprob = index >= 0 ? sequence.Logprobs?[index] : null,
    };

    /// <summary>
    /// llama_sampler_sample in two steps: apply the chain to the logits, and accept the chosen token only if
    /// some candidate survived. Returns null when none did. Two shortcuts skip copying the whole vocabulary into
    /// the candidate array (at 16 sequences and 32000 tokens that copy was most of the loop's time between
    /// decodes): a plain greedy chain is one vectorized argmax, and a chain that starts with top-k gets only the
    /// k best candidates, sorted, so its top-k step has nothing left to do.
    /// </summary>
    private unsafe int? SelectToken(SequenceState sequence, float* logits, int vocabularySize, SamplerSettings sampling)
    {
        if (logits == null)
        {
            throw new SlingshotException("llama.cpp returned no logits for a sequence that asked for them.");
        }
        var span = new ReadOnlySpan<float>(logits, vocabularySize);
        if (SamplingShortcuts && sampling.IsPlainArgmax)
        {
            return TokenDistribution.Argmax(span);
        }
        int count;
        var sorted = SamplingShortcuts && sampling.PreselectTopK > 0;
        if (sorted)
        {
            count = TopKSelection.Select(span, sampling.PreselectTopK, _candidates);
        }
        else
        {
            count = vocabularySize;
            for (var i = 0; i < vocabularySize; i++)
            {
                _candidates[i] = new LlamaTokenData { Id = new LlamaToken(i), Logit = logits[i], P = 0 };
            }
        }
        fixed (LlamaTokenData* data = _candidates)
        {
            var array = new LlamaTokenDataArray { Data = data, Size = (nuint)count, Selected = -1, Sorted = sorted };
            LlamaNative.llama_sampler_apply(sequence.Sampler, &array);
            if (array.Selected < 0 || array.Selected >= (long)array.Size || float.IsNegativeInfinity(array.Data[array.Selected].Logit))
            {
                return null;
            }
            var token = array.Data[array.Selected].Id;
            LlamaNative.llama_sampler_accept(sequence.Sampler, token);
            return token.Value;
        }
    }

    /// <summary>
    /// Ends one sequence with its last <paramref name="text"/>: tokens a stop sequence cut go, its cells and sequence
    /// id go back to the pool at once, and the tokens not yet streamed go out, the last with the end.
    /// </summary>
    private void Finish(RequestState request, SequenceState sequence, FinishReason reason, string text)
    {
        // Released first: the prefix cache keeps the tokens the cells hold, stop-cut ones included.
        Release(request, sequence);
        sequence.Text.Append(text);
        sequence.KeepShownTokens();
        sequence.Finished = reason;
        sequence.PendingToken = null;
        var last = new GenerationUpdate { SampleIndex = sequence.Index, Text = text };
        if (request.StreamTokens)
        {
            var pieces = sequence.Output.TakeShown(text);
            for (var i = 0; i < pieces.Count - 1; i++)
            {
                request.Output.Writer.TryWrite(TokenUpdate(sequence, pieces[i].Index, pieces[i].Text));
            }
            last = pieces.Count > 0 ? TokenUpdate(sequence, pieces[^1].Index, pieces[^1].Text) : last with { Text = string.Empty };
        }
        request.Output.Writer.TryWrite(last with { FinishReason = reason, Sample = sequence.ToSample(request.Prompt.Length) });
    }

    /// <summary>
    /// Gives a sequence's KV cells, sampler and id back at once, so the next request can use them. The prefix cache
    /// first keeps what the cells hold, unless <paramref name="keep"/> is false (after a failed decode they are in doubt).
    /// </summary>
    private void Release(RequestState request, SequenceState sequence, bool keep = true)
    {
        if (keep && _prefixes.IsEnabled)
        {
            _prefixes.Keep(sequence.SequenceId, request.TokensInCells(sequence));
        }
        LlamaNative.llama_memory_seq_rm(_memory, new LlamaSeqId(sequence.SequenceId), new LlamaPos(-1), new LlamaPos(-1));
        sequence.Sampler.Dispose();
        _freeSequences.Add(sequence.SequenceId);
        Volatile.Write(ref _stats.ActiveSequences, MaxSequences - _freeSequences.Count);
    }

    private void CompleteIfDone(RequestState request)
    {
        if (request.Sequences.Any(s => s.Finished is null))
        {
            return;
        }
        _active.Remove(request);
        _reservedCells -= request.ReservedCells;
        _prefixes.Release(request.Prefix!);
        Answered();
        var samples = request.Sequences.Select(s => s.ToSample(request.Prompt.Length)).ToArray();
        request.Output.Writer.TryWrite(new GenerationUpdate { SampleIndex = -1, Result = new GenerationResult(samples, Usage(request, samples), Timings(request, samples)) });
        request.Output.Writer.TryComplete();
    }

    /// <summary>A request cancelled before it was admitted: it ends with empty cancelled samples.</summary>
    private void CompleteUnstarted(RequestState request)
    {
        Answered();
        foreach (var sampler in request.Samplers)
        {
            sampler.Dispose();
        }
        var samples = Enumerable.Range(0, request.SampleCount)
            .Select(i => new Sample { Index = i, Text = string.Empty, Tokens = [], FinishReason = FinishReason.Cancelled, Seed = SamplerSettings.SampleSeed(request.BaseSeed, i), Usage = new TokenUsage(request.Prompt.Length, 0) })
            .ToArray();
        foreach (var sample in samples)
        {
            request.Output.Writer.TryWrite(new GenerationUpdate { SampleIndex = sample.Index, FinishReason = FinishReason.Cancelled, Sample = sample });
        }
        request.Output.Writer.TryWrite(new GenerationUpdate { SampleIndex = -1, Result = new GenerationResult(samples, new TokenUsage(request.Prompt.Length, 0), Timings(request, samples)) });
        request.Output.Writer.TryComplete();
    }

    private static TokenUsage Usage(RequestState request, Sample[] samples) =>
        new(request.Prompt.Length, samples.Sum(s => s.Usage?.CompletionTokens ?? 0));

    private static GenerationTimings Timings(RequestState request, Sample[] samples) =>
        request.MeasureTimings(Math.Max(0, samples.Sum(s => s.Usage?.CompletionTokens ?? 0) - samples.Length));

    private void CancelAll()
    {
        foreach (var request in _active.ToArray())
        {
            request.RequestCancel();
        }
        foreach (var request in _waiting)
        {
            request.RequestCancel();
        }
        HandleCancellations();
        CompleteLateArrivals();
    }

    /// <summary>Requests still in the inbox when the loop stops end cancelled, never unanswered.</summary>
    private void CompleteLateArrivals()
    {
        while (_inbox.Reader.TryRead(out var late))
        {
            if (late is not null)
            {
                Interlocked.Decrement(ref _stats.QueuedRequests);
                CompleteUnstarted(late);
            }
        }
    }

    private void FailAll(Exception error)
    {
        foreach (var request in _active.ToArray())
        {
            foreach (var sequence in request.Sequences.Where(s => s.Finished is null))
            {
                sequence.Finished = FinishReason.Cancelled;
                Release(request, sequence, keep: false);
            }
            _active.Remove(request);
            _reservedCells -= request.ReservedCells;
            _prefixes.Release(request.Prefix!);
            Answered();
            request.Output.Writer.TryComplete(error is SlingshotException ? error : new SlingshotException($"Generation failed: {error.Message}", error));
        }
        // What the failed decode left in the cells is unknown: cached prefixes are not trusted after it.
        _prefixes.Clear();
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        // Completing the inbox first makes a racing Submit fail instead of writing where nobody reads,
        // and wakes the loop if it is idle.
        _inbox.Writer.TryComplete();
        if (Thread.CurrentThread == _thread)
        {
            return; // called from a log callback on the loop itself: it exits after this step
        }
        _thread.Join();
        CompleteLateArrivals();
        _batch.Dispose();
    }
}
