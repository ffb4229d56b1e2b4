using Slingshot.Generation.Prefixes;

namespace Slingshot.Tests.Prefixes;

public sealed class PrefixTreeTests
{
    private static PrefixNode Add(PrefixTree tree, int[] tokens, int slot)
    {
        var (node, length) = tree.Match(tokens);
        var parent = length == 0 ? tree.Root : tree.SplitAt(node, length);
        return tree.AddLeaf(parent, tokens.AsSpan(length), slot);
    }

    [Fact]
    public void Match_EmptyTree_MatchesNothing()
    {
        var tree = new PrefixTree();

        var (node, length) = tree.Match([1, 2, 3]);

        Assert.Same(tree.Root, node);
        Assert.Equal(0, length);
    }

    [Fact]
    public void Match_PromptDivergingInsideAnEdge_ReturnsTheCommonLength()
    {
        var tree = new PrefixTree();
        var leaf = Add(tree, [1, 2, 3, 4, 5], slot: 20);

        var (node, length) = tree.Match([1, 2, 3, 9]);

        Assert.Same(leaf, node);
        Assert.Equal(3, length);
    }

    [Fact]
    public void Match_PromptLongerThanCachedPath_StopsAtItsEnd()
    {
        var tree = new PrefixTree();
        Add(tree, [1, 2, 3], slot: 20);
        Add(tree, [1, 2, 7, 8], slot: 21);

        Assert.Equal(3, tree.Match([1, 2, 3, 4, 5]).Length);
        Assert.Equal(4, tree.Match([1, 2, 7, 8, 9]).Length);
        Assert.Equal(2, tree.Match([1, 2, 5]).Length);
    }

    [Fact]
    public void SplitAt_InsideEdge_UpperPartInheritsLocksAndLowerKeepsSlot()
    {
        var tree = new PrefixTree();
        var leaf = Add(tree, [1, 2, 3, 4, 5], slot: 20);
        tree.Lock(leaf);

        var upper = tree.SplitAt(leaf, 2);

        Assert.Equal([1, 2], upper.Tokens);
        Assert.Equal([3, 4, 5], leaf.Tokens);
        Assert.Equal(2, leaf.Start);
        Assert.Same(upper, leaf.Parent);
        Assert.Equal(-1, upper.Slot);
        Assert.Equal(20, leaf.Slot);
        Assert.Equal(1, upper.Locks);
        Assert.Equal(5, tree.Tokens);
        Assert.Equal(5, tree.LockedTokens);
        Assert.Equal([1, 2, 3, 4, 5], PrefixTree.PathTokens(leaf));
    }

    [Fact]
    public void AddLeaf_DivergingPrompt_SharesTheCommonTokensOnce()
    {
        var tree = new PrefixTree();
        Add(tree, [1, 2, 3, 4], slot: 20);

        var second = Add(tree, [1, 2, 8, 9, 10], slot: 21);

        Assert.Equal(7, tree.Tokens); // 1 2 | 3 4 | 8 9 10
        Assert.Equal(2, tree.Leaves.Count);
        Assert.Equal(2, second.Start);
        Assert.Equal(21, second.Slot);
        Assert.Contains(PrefixTree.SlotBelow(second.Parent!), new[] { 20, 21 }); // either slot holds the shared part
    }

    [Fact]
    public void Lock_TwoRequestsOnOnePath_CountTokensOnceAndUnlockInAnyOrder()
    {
        var tree = new PrefixTree();
        var leaf = Add(tree, [1, 2, 3, 4], slot: 20);
        var upper = tree.SplitAt(leaf, 2);

        tree.Lock(upper);
        tree.Lock(leaf);

        Assert.Equal(4, tree.LockedTokens);
        tree.Unlock(upper);
        Assert.Equal(4, tree.LockedTokens); // the leaf's lock also holds the path above it
        tree.Unlock(leaf);
        Assert.Equal(0, tree.LockedTokens);
        Assert.Throws<InvalidOperationException>(() => tree.Unlock(leaf));
    }

    [Fact]
    public void LeastRecentlyUsedLeaf_SkipsLockedLeaves()
    {
        var tree = new PrefixTree();
        var oldest = Add(tree, [1, 1], slot: 20);
        var middle = Add(tree, [2, 2], slot: 21);
        var newest = Add(tree, [3, 3], slot: 22);
        tree.Touch(oldest); // now the newest

        Assert.Same(middle, tree.LeastRecentlyUsedLeaf());
        tree.Lock(middle);
        Assert.Same(newest, tree.LeastRecentlyUsedLeaf());
        tree.Lock(newest);
        tree.Lock(oldest);
        Assert.Null(tree.LeastRecentlyUsedLeaf());
    }

    [Fact]
    public void RemoveLeaf_LastChild_ParentBecomesALeaf()
    {
        var tree = new PrefixTree();
        Add(tree, [1, 2, 3], slot: 20);
        var branch = Add(tree, [1, 2, 4], slot: 21);
        var first = tree.Match([1, 2, 3]).Node;

        Assert.Null(tree.RemoveLeaf(branch)); // the parent still has a child
        var parent = tree.RemoveLeaf(first);

        Assert.NotNull(parent);
        Assert.Equal([1, 2], PrefixTree.PathTokens(parent));
        Assert.Contains(parent, tree.Leaves);
        Assert.Equal(2, tree.Tokens);
    }

    [Fact]
    public void RemoveLeaf_LockedLeaf_Throws()
    {
        var tree = new PrefixTree();
        var leaf = Add(tree, [1, 2], slot: 20);
        tree.Lock(leaf);

        Assert.Throws<InvalidOperationException>(() => tree.RemoveLeaf(leaf));
    }

    [Fact]
    public void Extend_LockedLeaf_CountsTheNewTokensAsLocked()
    {
        var tree = new PrefixTree();
        var leaf = Add(tree, [1, 2], slot: 20);
        tree.Lock(leaf);

        tree.Extend(leaf, [3, 4, 5]);

        Assert.Equal(5, tree.Tokens);
        Assert.Equal(5, tree.LockedTokens);
        Assert.Equal(5, tree.Match([1, 2, 3, 4, 5, 6]).Length);
    }
}
