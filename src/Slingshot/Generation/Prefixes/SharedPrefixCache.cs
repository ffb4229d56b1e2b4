namespace Slingshot.Generation.Prefixes;

/// <summary>
/// The prefix cache of a shared (unified) KV cache, where llama_memory_seq_cp of any position range is a change of
/// the cells' sequence sets, not a copy: cached prompts form a <see cref="PrefixTree"/>, prompts with a common
/// beginning hold its cells once, and a request reuses a prefix by adding its own sequence id to those cells.
///
/// Each leaf of the tree owns one sequence id of the cache (a slot, above the decode loop's own ids), and that slot
/// tags every cell of the leaf's path from the root; an interior node's cells are tagged by all the slots below it.
/// So the path to any node is "positions 0 to its end of any slot below it", and a leaf's own cells are tagged by
/// its slot alone: evicting it frees exactly its tokens. Accounting is exact because the tree's token count is the
/// number of cells the cache holds, and admission (<see cref="Acquire"/>) keeps that count plus every running
/// request's reservation within the context; a reused prefix is pinned while its request runs, since its cells
/// stay occupied whatever the cache does.
/// </summary>
internal sealed class SharedPrefixCache : PrefixCache
{
    private readonly IKvSequences _kv;
    private readonly Stack<int> _freeSlots;
    private readonly int _maxTokens;
    private PrefixTree _tree = new();

    /// <param name="kv">The context's memory.</param>
    /// <param name="slots">Sequence ids the cache may use (none of them the decode loop's).</param>
    /// <param name="maxTokens">Most cells the cache holds at once (its size limit).</param>
    /// <param name="statistics">Where lookups, hits, reused tokens and evictions are counted.</param>
    public SharedPrefixCache(IKvSequences kv, IEnumerable<int> slots, int maxTokens, EngineStatistics statistics) : base(statistics)
    {
        _kv = kv;
        _freeSlots = new Stack<int>(slots.Reverse());
        _maxTokens = maxTokens;
    }

    /// <summary>The tree (tests check its invariants).</summary>
    internal PrefixTree Tree => _tree;

    /// <summary>Cells the cache holds.</summary>
    public int Tokens => _tree.Tokens;

    protected override PrefixLease? Acquire(int[] prompt, int cells, int freeCells)
    {
        var (node, length) = _tree.Match(prompt.AsSpan(0, prompt.Length - 1));
        // Split where the reuse ends, so that the pin covers exactly the reused tokens and not the rest of the edge.
        var end = length > 0 ? _tree.SplitAt(node, length) : null;
        if (end is not null)
        {
            _tree.Lock(end);
        }
        var own = Math.Max(0, cells - length);
        if (own > freeCells - _tree.LockedTokens)
        {
            if (end is not null)
            {
                _tree.Unlock(end);
            }
            return null;
        }
        // Every unlocked token is evictable (a locked node's ancestors are locked too), so this ends.
        while (_tree.Tokens > freeCells - own)
        {
            Evict(_tree.LeastRecentlyUsedLeaf()!);
        }
        if (end is not null)
        {
            _tree.Touch(end);
        }
        Cached(_tree.Tokens);
        return new PrefixLease(length, own, end);
    }

    public override void Restore(PrefixLease lease, int sequence)
    {
        if (lease.Node is { } end)
        {
            _kv.Copy(PrefixTree.SlotBelow(end), sequence, 0, lease.Length);
        }
    }

    public override void Release(PrefixLease lease)
    {
        if (lease.Node is { } end)
        {
            _tree.Unlock(end);
        }
    }

    public override void Keep(int sequence, ReadOnlySpan<int> tokens)
    {
        var (node, length) = _tree.Match(tokens);
        if (length == tokens.Length)
        {
            if (length > 0)
            {
                _tree.Touch(node);
            }
            return;
        }
        if (tokens.Length - length > _maxTokens)
        {
            return;
        }
        var parent = length > 0 ? _tree.SplitAt(node, length) : _tree.Root;
        // A new leaf needs a free slot. Eviction may also turn the parent into a leaf (its only child evicted),
        // which then simply grows; the parent's own path is pinned meanwhile so that it survives.
        if (!parent.IsRoot)
        {
            _tree.Lock(parent);
        }
        while (!IsLeaf(parent) && _freeSlots.Count == 0 && _tree.LeastRecentlyUsedLeaf() is { } victim)
        {
            Evict(victim);
        }
        if (!parent.IsRoot)
        {
            _tree.Unlock(parent);
        }

        PrefixNode kept;
        if (IsLeaf(parent))
        {
            // The sequence continued a cached prompt (the next turn of a chat): the leaf's slot takes the new cells.
            _kv.Copy(sequence, parent.Slot, length, tokens.Length);
            _tree.Extend(parent, tokens[length..]);
            kept = parent;
        }
        else if (_freeSlots.TryPop(out var slot))
        {
            if (length > 0)
            {
                _kv.Copy(PrefixTree.SlotBelow(parent), slot, 0, length);
            }
            _kv.Copy(sequence, slot, length, tokens.Length);
            kept = _tree.AddLeaf(parent, tokens[length..], slot);
        }
        else
        {
            return; // every slot belongs to a pinned prefix
        }
        _tree.Touch(kept);
        while (_tree.Tokens > _maxTokens && _tree.LeastRecentlyUsedLeaf() is { } victim)
        {
            Evict(victim);
        }
        Cached(_tree.Tokens);
    }

    public override void Clear()
    {
        foreach (var leaf in _tree.Leaves)
        {
            _kv.Remove(leaf.Slot, -1, -1);
            _freeSlots.Push(leaf.Slot);
        }
        _tree = new PrefixTree();
        Cached(0);
    }

    private static bool IsLeaf(PrefixNode node) => !node.IsRoot && node.Children.Count == 0;

    /// <summary>
    /// Drops a leaf's own tokens. Its slot then holds its parent's path: the parent keeps it when the leaf was its
    /// only child, otherwise the other children's slots hold that path and the slot is freed.
    /// </summary>
    private void Evict(PrefixNode leaf)
    {
        var slot = leaf.Slot;
        if (_tree.RemoveLeaf(leaf) is { } parent)
        {
            _kv.Remove(slot, leaf.Start, -1);
            parent.Slot = slot;
        }
        else
        {
            _kv.Remove(slot, -1, -1);
            _freeSlots.Push(slot);
        }
        Evicted();
    }
}
