using System.Diagnostics;
using System.Threading.Channels;
using Slingshot.Generation.Prefixes;
using Slingshot.Native;
using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot.Generation;

/// <summary>
/// The one loop that owns a llama context. Requests from any thread arrive through a channel; every
/// iteration puts one token of every active sequence, plus prompt chunks of newly admitted requests, into a
/// single llama_decode (continuous batching). A request for n samples decodes its prompt once into its first
/// sequence and then forks the KV cache into the others (llama_memory_seq_cp). A request is admitted only
/// when it has free sequences and its worst-case KV cells are free, so decode never runs out of cells;
/// otherwise it waits in FIFO order. A prefix cache keeps the cells of finished prompts: a request whose prompt
/// begins like a cached one takes those cells and prefills only the rest.
/// </summary>
internal sealed partial class DecodeLoop : IDisposable
{
    private readonly LlamaModel _model;
    private readonly SafeLlamaContextHandle _context;
    private readonly nint _memory;
    private readonly NativeBatch _batch;
    private readonly int _prefillBudget;
    private readonly LlamaTokenData[] _candidates;
    private readonly Channel<RequestState?> _inbox = Channel.CreateUnbounded<RequestState?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly LinkedList<RequestState> _waiting = new();
    private readonly List<RequestState> _active = [];
    private readonly List<SequenceState> _decoding = [];
    // Lowest free id first: a request's sequences get ascending, mostly consecutive ids, which a split KV
    // cache needs to put one token of each into the same micro-batch (llama.cpp's sequential split).
    private readonly SortedSet<int> _freeSequences;
    private readonly Thread _thread;
    private readonly EngineStatistics _stats;
    private readonly EngineCompute _compute;
    private readonly PrefixCache _prefixes;
    private int _reservedCells;
    // Requests submitted and not yet answered (in the inbox, waiting or active): zero means the loop is idle.
    private int _requests;
    private volatile bool _stopping;

    // batchCapacity is the context's n_batch: one token per sequence plus the prefill budget.
    public DecodeLoop(LlamaModel model, SafeLlamaContextHandle context, int contextSize, int sequenceCapacity, int maxSequences, int batchCapacity,
        EngineCompute compute, EngineStatistics stats, PrefixCache prefixes)
    {
        _model = model;
        _prefixes = prefixes;
        _context = context;
        _compute = compute;
        _memory = LlamaNative.llama_get_memory(context);
        ContextSize = contextSize;
        SequenceCapacity = sequenceCapacity;
        MaxSequences = maxSequences;
        _prefillBudget = batchCapacity - maxSequences;
        _batch = new NativeBatch(batchCapacity);
        _candidates = new LlamaTokenData[model.Vocabulary.Count];
        _freeSequences = new SortedSet<int>(Enumerable.Range(0, maxSequences));
        _stats = stats;
        _thread = new Thread(Run) { IsBackground = true, Name = "slingshot-decode" };
        _thread.Start();
    }

    public int ContextSize { get; }

    /// <summary>Most positions one sequence can hold.</summary>
    public int SequenceCapacity { get; }

    public int MaxSequences { get; }

    /// <summary>See <see cref="EngineOptions.SamplingShortcuts"/>.</summary>
    public bool SamplingShortcuts { get; init; } = true;

    /// <summary>
    /// Whether no request is in the loop (none submitted and unanswered). A request's result is written after it
    /// stops counting, so a caller that has its result and submits the next finds the loop idle.
    /// </summary>
    public bool IsIdle => Volatile.Read(ref _requests) == 0;

    public void Submit(RequestState request)
    {
        Interlocked.Increment(ref _requests);
        if (_stopping || !_inbox.Writer.TryWrite(request))
        {
            Interlocked.Decrement(ref _requests);
            throw new ObjectDisposedException(nameof(LlamaEngine));
        }
        Interlocked.Increment(ref _stats.QueuedRequests);
    }

    /// <summary>A request leaves the loop: called once per request, before its result or error is written.</summary>
    private void Answered() => Interlocked.Decrement(ref _requests);

    /// <summary>Wakes the loop so it notices a cancellation.</summary>
    public void Wake() => _inbox.Writer.TryWrite(null);

    private void Run()
    {
        while (true)
        {
            try
            {
                if (!Step())
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                // A bug or native failure must not kill the loop silently: fail what was in flight, keep serving.
                FailAll(ex);
            }
        }
    }

    /// <summary>One iteration; false when the loop should exit.</summary>
    private bool Step()
    {
        DrainInbox(block: _active.Count == 0 && _waiting.Count == 0);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return StepBusy();
        }
        finally
        {
            Interlocked.Add(ref _stats.BusyTicks, Stopwatch.GetTimestamp() - started);
        }
    }

    private bool StepBusy()
    {
        if (_stopping)
        {
            CancelAll();
            return false;
        }
        HandleCancellations();
        Admit();
        if (_active.Count == 0)
        {
            return true;
        }
        FillBatch();
        if (_batch.Count == 0)
        {
            return true;
        }
        var rc = _compute.Decode(_context, _batch.Native, ComputeOwner.DecodeLoop, out var computeTicks);
        Interlocked.Add(ref _stats.DecodeTicks, computeTicks);
        Interlocked.Increment(ref _stats.DecodeCalls);
        Interlocked.Add(ref _stats.BatchedTokens, _batch.Count);
        if (rc != 0)
        {
            var reason = rc switch
            {
                1 => "no free KV cells for the batch",
                2 => "aborted",
                -1 => "invalid batch",
                _ => $"error {rc}",
            };
            throw new SlingshotException($"llama_decode failed: {reason}.");
        }
        SampleAll();
        return true;
    }

    private void DrainInbox(bool block)
    {
        if (block)
        {
            // Idle: wait for work on this dedicated thread (returns false once the inbox is completed).
            _inbox.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
        }
        while (_inbox.Reader.TryRead(out var request))
        {
            if (request is not null)
            {
                _waiting.AddLast(request);
            }
        }
    }

    private void HandleCancellations()
    {
        for (var node = _waiting.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.CancelRequested)
            {
                _waiting.Remove(node);
                Interlocked.Decrement(ref _stats.QueuedRequests);
                CompleteUnstarted(node.Value);
            }
            node = next;
        }
        foreach (var request in _active.ToArray())
        {
            if (request.CancelRequested)
            {
                foreach (var sequence in request.Sequences)
                {
                    if (sequence.Finished is null)
                    {
                        Finish(request, sequence, FinishReason.Cancelled, sequence.Output.FlushHeld());
                    }
                }
                CompleteIfDone(request);
            }
        }
    }

    /// <summary>
    /// Admits waiting requests in order while sequences and KV cells allow. A request takes the longest cached prefix
    /// of its prompt into its first sequence, prefills from there, and reserves cells for the rest only; the cache
    /// evicts prefixes no running request uses when those cells are needed.
    /// </summary>
    private void Admit()
    {
        while (_waiting.First is { } node)
        {
            var request = node.Value;
            if (request.SampleCount > _freeSequences.Count
                || _prefixes.TryAdmit(request.Prompt, request.ReservedCells, ContextSize - _reservedCells) is not { } prefix)
            {
                return;
            }
            _waiting.RemoveFirst();
            Interlocked.Decrement(ref _stats.QueuedRequests);
            request.Prefix = prefix;
            request.ReservedCells = prefix.Cells;
            _reservedCells += prefix.Cells;
            request.AdmittedAt = Stopwatch.GetTimestamp();
            request.Sequences = CreateSequences(request);
            _prefixes.Restore(prefix, request.Sequences[0].SequenceId);
            request.PrefillCursor = prefix.Length;
            _active.Add(request);
            Volatile.Write(ref _stats.ActiveSequences, MaxSequences - _freeSequences.Count);
        }
    }

    private SequenceState[] CreateSequences(RequestState request)
    {
        var sequences = new SequenceState[request.SampleCount];
        var vocabulary = _model.Vocabulary;
        for (var i = 0; i < sequences.Length; i++)
        {
            var seed = SamplerSettings.SampleSeed(request.BaseSeed, i);
            var id = _freeSequences.Min;
            _freeSequences.Remove(id);
            sequences[i] = new SequenceState(i, id, seed, request.Samplers[i],
                new SampleTextAssembler(new TokenTextDecoder(vocabulary, preserved: request.Request.PreservedTokens), new StopSequenceMatcher(request.Request.StopSequences)),
                request.Request.TopLogprobs is not null)
            {
                NextPosition = request.Prompt.Length,
            };
        }
        return sequences;
    }

    /// <summary>One token for every decoding sequence, then prompt chunks up to the prefill budget.</summary>
    private void FillBatch()
    {
        _batch.Clear();
        _decoding.Clear();
        foreach (var request in _active)
        {
            foreach (var sequence in request.Sequences)
            {
                sequence.LogitsIndex = -1;
                if (sequence.Finished is null && sequence.PendingToken is not null)
                {
                    _decoding.Add(sequence);
                }
            }
        }
        // In ascending sequence id order: with a split KV cache llama.cpp puts into one micro-batch only a run of
        // consecutive ids in batch order, so requests admitted out of id order would cost several graph passes a step.
        _decoding.Sort(static (a, b) => a.SequenceId.CompareTo(b.SequenceId));
        foreach (var sequence in _decoding)
        {
            sequence.LogitsIndex = _batch.Add(sequence.PendingToken!.Value, sequence.NextPosition, sequence.SequenceId, wantLogits: true);
            sequence.NextPosition++;
            sequence.PendingToken = null;
        }

        var budget = _prefillBudget;
        foreach (var request in _active)
        {
            request.PrefillLogitsIndex = -1;
            if (!request.IsPrefilling || budget == 0)
            {
                continue;
            }
            var first = request.Sequences[0].SequenceId;
            var end = Math.Min(request.Prompt.Length, request.PrefillCursor + budget);
            for (var pos = request.PrefillCursor; pos < end; pos++)
            {
                var index = _batch.Add(request.Prompt[pos], pos, first, wantLogits: pos == request.Prompt.Length - 1);
                if (pos == request.Prompt.Length - 1)
                {
                    request.PrefillLogitsIndex = index;
                }
            }
            budget -= end - request.PrefillCursor;
            request.PrefillCursor = end;
        }
    }

    private void SampleAll()
    {
        foreach (var request in _active.ToArray())
        {
            if (request.PrefillLogitsIndex >= 0)
            {
                // The prompt is in the first sequence's cells: fork it into the others, then each draws its
                // first token from the same logits with its own sampler.
                request.PrefillDoneAt = Stopwatch.GetTimestamp();
                var source = new LlamaSeqId(request.Sequences[0].SequenceId);
                for (var i = 1; i < request.Sequences.Length; i++)
                {
                    LlamaNative.llama_memory_seq_cp(_memory, source, new LlamaSeqId(request.Sequences[i].SequenceId), new LlamaPos(-1), new LlamaPos(-1));
                }
                if (request.CaptureNextTokenLogits)
                {
                    CaptureNextTokenLogits(request);
                }
                else
                {
                    foreach (var sequence in request.Sequences)
                    {
                        SampleNext(request, sequence, request.PrefillLogitsIndex);
                    }
                }
            }
            else
            {
                foreach (var sequence in request.Sequences)
                {
                    if (sequence.Finished is null && sequence.LogitsIndex >= 0)
                    {
                        SampleNext(request, sequence, sequence.LogitsIndex);
                    }
                }
            }
            CompleteIfDone(request);
        }
    }
}
