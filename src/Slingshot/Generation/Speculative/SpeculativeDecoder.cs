using System.Diagnostics;
using System.Threading.Channels;

namespace Slingshot.Generation.Speculative;

/// <summary>
/// Serves an engine's speculative requests on its own thread, with its own one-sequence target context and draft
/// context. It sits beside the engine's decode loop rather than inside it: the loop batches many sequences one
/// token each, while speculation spends each target pass on several tokens of one sequence; keeping them apart
/// leaves both simple. The engine routes here what speculation can serve exactly (see <see cref="Accepts"/>),
/// and only while the decode loop is idle and no other request holds the decoder (<see cref="TryReserve"/>);
/// everything else goes to the loop, so a busy engine batches instead of queueing requests here one behind the
/// other. Both contexts join the engine's <see cref="EngineCompute"/>: its thread pool, and one pass at a time
/// with the loop.
/// </summary>
internal sealed partial class SpeculativeDecoder : IDisposable
{
    private readonly LlamaModel _target;
    private readonly SpeculativeOptions _options;
    private readonly SequenceContext _targetContext;
    private readonly SequenceContext? _draftContext;
    private readonly EngineStatistics _stats;
    private readonly Channel<RequestState> _inbox = Channel.CreateUnbounded<RequestState>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _reserved;

    /// <param name="target">The engine's model.</param>
    /// <param name="options">Validated options; a draft model is checked against the target's vocabulary here.</param>
    /// <param name="sequenceCapacity">Most positions a request may fill (the engine's per-sequence context).</param>
    /// <param name="threads">Decode threads.</param>
    /// <param name="compute">The engine's thread pool and turns, shared with its decode loop.</param>
    /// <param name="stats">The engine's counters.</param>
    public SpeculativeDecoder(LlamaModel target, SpeculativeOptions options, int sequenceCapacity, int threads, EngineCompute compute, EngineStatistics stats)
    {
        if (options.DraftModel is { } draft)
        {
            VocabularyCompatibility.EnsureCompatible(target, draft);
        }
        _target = target;
        _options = options;
        _stats = stats;
        // A verification pass writes a whole draft past the last accepted token before cutting it back.
        var capacity = sequenceCapacity + options.DraftMax + 1;
        _targetContext = new SequenceContext(target, capacity, threads, compute: compute, owner: ComputeOwner.SpeculativeTarget);
        try
        {
            _draftContext = options.DraftModel is { } model
                ? new SequenceContext(model, capacity, threads, compute: compute, owner: ComputeOwner.SpeculativeDraft)
                : null;
        }
        catch
        {
            _targetContext.Dispose();
            throw;
        }
        // Created on first use: greedy requests never need them, and a large vocabulary makes each one a few MB.
        _targetDistributions = new TokenDistribution?[options.DraftMax + 1];
        _draftDistributions = new TokenDistribution?[options.DraftMax];
        _drafted = new int[options.DraftMax];
        _thread = new Thread(Run) { IsBackground = true, Name = "slingshot-speculative" };
        _thread.Start();
    }

    /// <summary>
    /// Whether speculation serves a request exactly: one sample, no grammar (its state cannot be rolled back
    /// over a rejected draft), no repetition penalties (they depend on the history being verified) and no
    /// log-probabilities.
    /// </summary>
    public static bool Accepts(GenerationRequest request) =>
        request.SampleCount == 1
        && request.TopLogprobs is null
        && !request.Sampling.HasGrammarOrPenalties;

    /// <summary>
    /// Claims the decoder for one request; false while another holds it. The claim ends when that request's result
    /// is written, so a request never waits here behind another: it goes to the decode loop instead.
    /// </summary>
    public bool TryReserve() => !_stopping && Interlocked.CompareExchange(ref _reserved, 1, 0) == 0;

    /// <summary>Gives up a claim that no request was submitted for.</summary>
    public void Release() => Volatile.Write(ref _reserved, 0);

    /// <summary>Submits the request of a claim taken with <see cref="TryReserve"/>.</summary>
    public void Submit(RequestState request)
    {
        if (_stopping || !_inbox.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(LlamaEngine));
        }
        Interlocked.Increment(ref _stats.QueuedRequests);
    }

    private void Run()
    {
        while (_inbox.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (_inbox.Reader.TryRead(out var request))
            {
                Interlocked.Decrement(ref _stats.QueuedRequests);
                Serve(request);
            }
        }
    }

    private void Serve(RequestState request)
    {
        var output = new SpeculativeOutput(request, _target.Vocabulary);
        var counters = new Counters();
        try
        {
            request.AdmittedAt = Stopwatch.GetTimestamp();
            if (!_stopping && !request.CancelRequested)
            {
                Generate(request, output, counters);
            }
            output.Cancel();
            var sample = output.ToSample();
            var statistics = new SpeculationStatistics(counters.Drafted, counters.Accepted, counters.TargetPasses, counters.DraftPasses);
            // Free before the caller sees the result, so that a caller's next request finds the decoder free.
            Release();
            request.Output.Writer.TryWrite(new GenerationUpdate
            {
                SampleIndex = -1,
                Result = new GenerationResult([sample], sample.Usage ?? default, Timings(request, sample)) { Speculation = statistics },
            });
            request.Output.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            Release();
            request.Output.Writer.TryComplete(ex is SlingshotException ? ex : new SlingshotException($"Speculative generation failed: {ex.Message}", ex));
        }
        finally
        {
            Interlocked.Add(ref _stats.TokensGenerated, output.GeneratedTokens);
            Interlocked.Add(ref _stats.DecodeCalls, counters.TargetPasses + counters.DraftPasses);
        }
    }

    private static GenerationTimings Timings(RequestState request, Sample sample) =>
        request.MeasureTimings(Math.Max(0, (sample.Usage?.CompletionTokens ?? 0) - 1));

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        _inbox.Writer.TryComplete();
        _thread.Join();
        _targetContext.Dispose();
        _draftContext?.Dispose();
    }

    /// <summary>Per-request counts, reported as <see cref="SpeculationStatistics"/>.</summary>
    private sealed class Counters
    {
        public int Drafted;
        public int Accepted;
        public int TargetPasses;
        public int DraftPasses;
    }
}
