namespace Slingshot.Generation.Prefixes;

/// <summary>
/// One edge of a <see cref="PrefixTree"/>: the tokens at positions [<see cref="Start"/>, <see cref="End"/>) of every
/// cached prompt that passes through it.
/// </summary>
internal sealed class PrefixNode
{
    internal PrefixNode(PrefixNode? parent, int[] tokens, int start)
    {
        Parent = parent;
        Tokens = tokens;
        Start = start;
    }

    public PrefixNode? Parent { get; internal set; }

    /// <summary>The edge's tokens; the token at index i sits at position <see cref="Start"/> + i.</summary>
    public int[] Tokens { get; internal set; }

    /// <summary>Position of the edge's first token (the path length above it).</summary>
    public int Start { get; internal set; }

    /// <summary>Position after the edge's last token: the length of the path from the root through this node.</summary>
    public int End => Start + Tokens.Length;

    /// <summary>Children by their first token.</summary>
    public Dictionary<int, PrefixNode> Children { get; } = [];

    /// <summary>Running requests whose reused prefix runs through this node; a locked node is never evicted.</summary>
    public int Locks { get; internal set; }

    /// <summary>Logical time of the last lookup or store through this node (least recently used goes first).</summary>
    public long LastUsed { get; internal set; }

    /// <summary>
    /// On a leaf: the cache's sequence id whose KV cells hold the whole path from the root to the end of this node.
    /// Interior nodes hold none; their cells are reached through any leaf below them.
    /// </summary>
    public int Slot { get; internal set; } = -1;

    public bool IsRoot => Parent is null;
}

/// <summary>
/// A radix tree over token ids: every cached prompt is a path from the root, prompts that share a beginning share
/// its nodes, and a lookup finds the longest cached prefix of a prompt in one walk. Pure bookkeeping: it knows
/// nothing of KV cells or sequence ids beyond the <see cref="PrefixNode.Slot"/> its owner writes on leaves. It also
/// keeps the pins (<see cref="PrefixNode.Locks"/>) and the logical clock that eviction reads.
/// </summary>
internal sealed class PrefixTree
{
    private readonly HashSet<PrefixNode> _leaves = [];
    private long _clock;

    public PrefixNode Root { get; } = new(null, [], 0);

    /// <summary>Tokens stored in all nodes: the cache's KV cells.</summary>
    public int Tokens { get; private set; }

    /// <summary>Tokens in locked nodes, which eviction cannot free.</summary>
    public int LockedTokens { get; private set; }

    /// <summary>The nodes without children (each holds a slot).</summary>
    public IReadOnlyCollection<PrefixNode> Leaves => _leaves;

    /// <summary>
    /// The longest prefix of <paramref name="tokens"/> stored in the tree: its length and the node holding its last
    /// token (the root when nothing matches). The match may end inside the node's edge.
    /// </summary>
    public (PrefixNode Node, int Length) Match(ReadOnlySpan<int> tokens)
    {
        var node = Root;
        var length = 0;
        while (length < tokens.Length && node.Children.TryGetValue(tokens[length], out var child))
        {
            var edge = child.Tokens;
            var common = 1; // the first token matched through the dictionary
            while (common < edge.Length && length + common < tokens.Length && edge[common] == tokens[length + common])
            {
                common++;
            }
            node = child;
            length += common;
            if (common < edge.Length)
            {
                break;
            }
        }
        return (node, length);
    }

    /// <summary>
    /// The node whose path ends exactly at <paramref name="position"/>, which must lie within <paramref name="node"/>'s
    /// edge (Start &lt; position &lt;= End): the node itself, or the upper part of it after splitting its edge there.
    /// Splitting changes no KV cells: the lower part keeps the children, the slot and the locks, and the upper part
    /// (new) inherits the locks and the last use, because whatever held the whole edge held its beginning.
    /// </summary>
    public PrefixNode SplitAt(PrefixNode node, int position)
    {
        if (node.IsRoot || position <= node.Start || position > node.End)
        {
            throw new ArgumentOutOfRangeException(nameof(position), $"Position {position} is not inside the edge [{node.Start}, {node.End}).");
        }
        if (position == node.End)
        {
            return node;
        }
        var cut = position - node.Start;
        var parent = node.Parent!;
        var upper = new PrefixNode(parent, node.Tokens[..cut], node.Start) { Locks = node.Locks, LastUsed = node.LastUsed };
        parent.Children[upper.Tokens[0]] = upper;
        node.Tokens = node.Tokens[cut..];
        node.Start = position;
        node.Parent = upper;
        upper.Children[node.Tokens[0]] = node;
        return upper;
    }

    /// <summary>
    /// Adds a leaf under <paramref name="parent"/> (whose path must end where the leaf begins) holding
    /// <paramref name="tokens"/>, its cells in <paramref name="slot"/>. A parent that was a leaf stops being one; its
    /// slot is the caller's to move or free.
    /// </summary>
    public PrefixNode AddLeaf(PrefixNode parent, ReadOnlySpan<int> tokens, int slot)
    {
        if (tokens.IsEmpty || parent.Children.ContainsKey(tokens[0]))
        {
            throw new InvalidOperationException("A new leaf needs tokens and a first token no sibling starts with.");
        }
        var leaf = new PrefixNode(parent, tokens.ToArray(), parent.End) { Slot = slot, LastUsed = ++_clock };
        parent.Children[tokens[0]] = leaf;
        _leaves.Remove(parent);
        parent.Slot = -1;
        _leaves.Add(leaf);
        Tokens += leaf.Tokens.Length;
        return leaf;
    }

    /// <summary>Grows a leaf's edge by <paramref name="tokens"/> (the same slot holds the longer path).</summary>
    public void Extend(PrefixNode leaf, ReadOnlySpan<int> tokens)
    {
        if (!_leaves.Contains(leaf))
        {
            throw new InvalidOperationException("Only a leaf can be extended.");
        }
        leaf.Tokens = [.. leaf.Tokens, .. tokens];
        Tokens += tokens.Length;
        if (leaf.Locks > 0)
        {
            LockedTokens += tokens.Length;
        }
        leaf.LastUsed = ++_clock;
    }

    /// <summary>Marks the path from the root to <paramref name="node"/> as just used.</summary>
    public void Touch(PrefixNode node)
    {
        var now = ++_clock;
        for (var n = node; !n.IsRoot; n = n.Parent!)
        {
            n.LastUsed = now;
        }
    }

    /// <summary>Pins the path from the root to <paramref name="node"/>: none of it can be evicted until unlocked.</summary>
    public void Lock(PrefixNode node)
    {
        for (var n = node; !n.IsRoot; n = n.Parent!)
        {
            if (n.Locks++ == 0)
            {
                LockedTokens += n.Tokens.Length;
            }
        }
    }

    /// <summary>Undoes one <see cref="Lock"/> of the same path (nodes split since then included).</summary>
    public void Unlock(PrefixNode node)
    {
        for (var n = node; !n.IsRoot; n = n.Parent!)
        {
            if (n.Locks <= 0)
            {
                throw new InvalidOperationException("Unlocking a prefix that is not locked.");
            }
            if (--n.Locks == 0)
            {
                LockedTokens -= n.Tokens.Length;
            }
        }
    }

    /// <summary>The unlocked leaf used longest ago, or null when every leaf is locked.</summary>
    public PrefixNode? LeastRecentlyUsedLeaf()
    {
        PrefixNode? oldest = null;
        foreach (var leaf in _leaves)
        {
            if (leaf.Locks == 0 && (oldest is null || leaf.LastUsed < oldest.LastUsed))
            {
                oldest = leaf;
            }
        }
        return oldest;
    }

    /// <summary>
    /// Removes an unlocked leaf. Returns its parent when that became a leaf by it (the caller gives it a slot), else null.
    /// </summary>
    public PrefixNode? RemoveLeaf(PrefixNode leaf)
    {
        if (!_leaves.Remove(leaf) || leaf.Locks > 0)
        {
            throw new InvalidOperationException("Only an unlocked leaf can be removed.");
        }
        var parent = leaf.Parent!;
        parent.Children.Remove(leaf.Tokens[0]);
        leaf.Parent = null;
        Tokens -= leaf.Tokens.Length;
        if (parent.IsRoot || parent.Children.Count > 0)
        {
            return null;
        }
        _leaves.Add(parent);
        return parent;
    }

    /// <summary>The slot of some leaf at or below <paramref name="node"/>: its cells hold the path to <paramref name="node"/>.</summary>
    public static int SlotBelow(PrefixNode node)
    {
        while (node.Slot < 0)
        {
            node = node.Children.Values.First();
        }
        return node.Slot;
    }

    /// <summary>The tokens of the path from the root to the end of <paramref name="node"/>.</summary>
    public static int[] PathTokens(PrefixNode node)
    {
        var path = new int[node.End];
        for (var n = node; !n.IsRoot; n = n.Parent!)
        {
            n.Tokens.CopyTo(path, n.Start);
        }
        return path;
    }
}
