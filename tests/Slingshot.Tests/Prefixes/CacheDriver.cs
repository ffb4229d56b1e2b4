using Slingshot.Generation.Prefixes;

namespace Slingshot.Tests.Prefixes;

/// <summary>
/// Drives a prefix cache the way the decode loop does, over a <see cref="SimulatedKv"/>: admission with cell
/// reservation, restoring the prefix into the request's sequence, decoding the rest, keeping and releasing at the end.
/// Checks on the way that a request's sequence holds exactly its prompt's first tokens and that the cells in use
/// never exceed the context.
/// </summary>
internal sealed class CacheDriver(PrefixCache cache, SimulatedKv kv, int contextSize)
{
    public sealed record Running(int Sequence, int[] Prompt, PrefixLease Lease);

    public int Reserved { get; private set; }

    /// <summary>Admits a prompt into <paramref name="sequence"/> with room for <paramref name="generated"/> more tokens; null when it must wait.</summary>
    public Running? Admit(int sequence, int[] prompt, int generated)
    {
        var cells = kv.Unified ? prompt.Length + generated : 0;
        var lease = cache.TryAdmit(prompt, cells, contextSize - Reserved);
        if (lease is null)
        {
            return null;
        }
        Reserved += lease.Cells;
        cache.Restore(lease, sequence);
        Assert.Equal(prompt[..lease.Length], kv.Contents(sequence));
        kv.Decode(sequence, prompt.AsSpan(lease.Length));
        Assert.Equal(prompt, kv.Contents(sequence));
        AssertWithinContext();
        return new Running(sequence, prompt, lease);
    }

    /// <summary>Decodes <paramref name="generated"/> after the prompt, keeps what the sequence holds, frees it.</summary>
    public void Finish(Running running, int[] generated)
    {
        kv.Decode(running.Sequence, generated);
        AssertWithinContext();
        cache.Keep(running.Sequence, [.. running.Prompt, .. generated]);
        kv.Remove(running.Sequence, -1, -1);
        cache.Release(running.Lease);
        Reserved -= running.Lease.Cells;
        AssertWithinContext();
    }

    /// <summary>One request from admission to its end; returns the tokens it reused.</summary>
    public int Run(int sequence, int[] prompt, int[] generated)
    {
        var running = Admit(sequence, prompt, generated.Length) ?? throw new InvalidOperationException("The request does not fit.");
        Finish(running, generated);
        return running.Lease.Length;
    }

    private void AssertWithinContext()
    {
        if (kv.Unified)
        {
            Assert.True(kv.UsedCells <= contextSize, $"{kv.UsedCells} cells in use in a context of {contextSize}.");
        }
    }
}
