using System.Diagnostics;
using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot.Generation;

/// <summary>Which of an engine's llama contexts ran a forward pass.</summary>
internal enum ComputeOwner
{
    /// <summary>The batched decode loop's context.</summary>
    DecodeLoop,

    /// <summary>The speculative decoder's one-sequence target context.</summary>
    SpeculativeTarget,

    /// <summary>The speculative decoder's draft-model context.</summary>
    SpeculativeDraft,
}

/// <summary>One forward pass: who ran it, and its start and end (<see cref="Stopwatch"/> timestamps).</summary>
internal readonly record struct ComputeInterval(ComputeOwner Owner, long Started, long Ended);

/// <summary>
/// The compute of one engine: one ggml thread pool attached to all its llama contexts (the decode loop's and the
/// speculative decoder's target and draft), and one forward pass at a time among them, first come first served.
/// <para>
/// ggml's threads busy-wait, at a barrier during a pass and for a while after it (a pool's workers poll for the
/// next graph before they sleep). Two passes at once, or a pool whose workers still spin while another pool
/// computes, put more spinning threads than cores to work, which slows every pass far more than taking turns.
/// One pool runs one graph at a time, so sharing it requires the turns; and the turns keep the decode loop and a
/// speculative request from ever computing at once. Waiting is blocking (a monitor), never spinning, so a
/// waiting thread leaves the cores to the pass in progress; turns go in ticket order, so the loop and a
/// speculative request alternate pass by pass and neither starves the other.
/// </para>
/// </summary>
internal sealed class EngineCompute : IDisposable
{
    private readonly SafeGgmlThreadpoolHandle? _pool;
    private readonly object _lock = new();
    private long _nextTicket;
    private long _serving;

    /// <param name="threads">Threads of the pool (the calling thread is one of them).</param>
    public EngineCompute(int threads)
    {
        _pool = SafeGgmlThreadpoolHandle.TryCreate(threads);
    }

    /// <summary>Called after every pass, still inside the turn (a test hook: the intervals must never overlap).</summary>
    internal Action<ComputeInterval>? Observer { get; set; }

    /// <summary>
    /// Attaches the engine's thread pool to <paramref name="context"/>, which keeps it alive until it is freed.
    /// Where the CPU backend offers no pool, llama.cpp's own per-call threads remain.
    /// </summary>
    public void Attach(SafeLlamaContextHandle context)
    {
        if (_pool is not null)
        {
            context.KeepAlive(_pool);
            LlamaNative.llama_attach_threadpool(context, _pool.DangerousGetHandle(), _pool.DangerousGetHandle());
        }
    }

    /// <summary>Runs llama_decode on <paramref name="context"/> when it is this caller's turn; returns its code.</summary>
    public int Decode(SafeLlamaContextHandle context, LlamaBatch batch, ComputeOwner owner) => Decode(context, batch, owner, out _);

    /// <summary>
    /// Runs llama_decode on <paramref name="context"/> when it is this caller's turn; returns its code, and in
    /// <paramref name="computeTicks"/> the time of the pass itself, without the wait for the turn.
    /// </summary>
    public int Decode(SafeLlamaContextHandle context, LlamaBatch batch, ComputeOwner owner, out long computeTicks)
    {
        Enter();
        try
        {
            var started = Stopwatch.GetTimestamp();
            var rc = LlamaNative.llama_decode(context, batch);
            var ended = Stopwatch.GetTimestamp();
            computeTicks = ended - started;
            Observer?.Invoke(new ComputeInterval(owner, started, ended));
            return rc;
        }
        finally
        {
            Exit();
        }
    }

    private void Enter()
    {
        lock (_lock)
        {
            var ticket = _nextTicket++;
            while (ticket != _serving)
            {
                Monitor.Wait(_lock);
            }
        }
    }

    private void Exit()
    {
        lock (_lock)
        {
            _serving++;
            if (_nextTicket != _serving)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>Drops the engine's reference to the pool; the contexts it is attached to keep theirs until they are freed.</summary>
    public void Dispose() => _pool?.Dispose();
}
